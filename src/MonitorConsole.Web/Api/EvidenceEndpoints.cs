using System.Net;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;
using MonitorConsole.Access;
using MonitorConsole.Audit;
using MonitorConsole.Audit.Evidence;
using MonitorConsole.Web.Access;

namespace MonitorConsole.Web.Api;

/// <summary>
/// POST /api/audit/evidence: an evidence pack of the chain or of a trail (the export's filters), as a zip download.
/// The console's button posts a form (with its antiforgery token); a refusal then comes back as a page for people.
/// </summary>
internal static class EvidenceEndpoints
{
    public const string ShaHeader = "X-Evidence-Pack-Sha256";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/audit").WithTags("Audit ledger")
            .MapPost("/evidence", MakeAsync).RequirePermission(Permission.ExportLedger).DisableAntiforgery()
            .WithSummary("Make an evidence pack of the chain or of the trail the filters pick: a zip of the entries, the signed checkpoint covering them, " +
                         "an inclusion proof per entry, a report and VERIFY.md, checkable offline; recorded in the ledger (EVIDENCE_PACK_MADE) with the zip's SHA-256. May make a checkpoint, so it also needs the verify permission (every console role has both)")
            .ProducesDownload($"The evidence pack (a zip); its SHA-256 is also in the {ShaHeader} header", "application/zip")
            .ProducesInputProblem();
    }

    private static async Task MakeAsync(
        HttpContext context, LedgerOperations ledger, IAntiforgery antiforgery, TimeProvider clock, string? actor, string? action,
        [FromQuery(Name = "resource_type")] string? resourceType, [FromQuery(Name = "resource_id")] string? resourceId,
        string? from, string? to, [FromQuery(Name = "include_rolled_back")] bool? includeRolledBack, string? resource, string? q,
        CancellationToken ct)
    {
        // Validated here rather than by the endpoint filter, which would also demand a token from callers posting no form.
        var fromForm = context.Request.HasFormContentType;
        if (fromForm) await antiforgery.ValidateRequestAsync(context);
        PreparedEvidencePack pack;
        try
        {
            var anyFilter = actor ?? action ?? resourceType ?? resourceId ?? from ?? to ?? resource ?? q ?? includeRolledBack?.ToString();
            var filter = anyFilter is null ? null
                : AuditEndpoints.Filter(actor, action, resourceType, resourceId, from, to, includeRolledBack, resource, q);
            pack = await ledger.MakeEvidencePackAsync(CallerPrincipal.From(context.User), filter, ct);
        }
        catch (InputException ex) when (fromForm)
        {
            await RefusedPageAsync(context, ex.ForPeople, BackLink(context), ct);
            return;
        }
        await using (pack)
        {
            var name = $"audit-evidence-{clock.GetUtcNow():yyyy-MM-dd}-{pack.Sha256[..12]}.zip";
            context.Response.ContentType = "application/zip";
            context.Response.ContentLength = pack.Bytes;
            context.Response.Headers.ContentDisposition = $"attachment; filename=\"{name}\"";
            context.Response.Headers[ShaHeader] = pack.Sha256;
            await pack.CopyToAsync(context.Response.Body, ct);
        }
    }

    /// <summary>A person who pressed the button gets a page that says why, not a JSON problem.</summary>
    /// <summary>Back to the page the form was on, filter included, when it is this console's; else the trail.</summary>
    private static string BackLink(HttpContext context)
    {
        var request = context.Request;
        return Uri.TryCreate(request.Headers.Referer.ToString(), UriKind.Absolute, out var referer)
               && string.Equals(referer.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase)
               && referer.AbsolutePath.StartsWith(request.PathBase.Value + "/", StringComparison.Ordinal)
            ? referer.PathAndQuery
            : "../../audit";
    }

    private static async Task RefusedPageAsync(HttpContext context, string why, string back, CancellationToken ct)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync($"""
            <!doctype html><html lang="en"><meta charset="utf-8"><title>Evidence pack not made · MonitorConsole</title>
            <body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem">
            <h1>The evidence pack was not made</h1><p>{WebUtility.HtmlEncode(why.EndsWith('.') ? why : why + ".")}</p>
            <p><a href="{WebUtility.HtmlEncode(back)}">Back</a></p></body></html>
            """, ct);
    }
}
