using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using MonitorConsole.Audit;
using MonitorConsole.Audit.Chain;
using MonitorConsole.Audit.Export;
using MonitorConsole.Audit.Queries;
using MonitorConsole.Audit.Search;
using MonitorConsole.Access;
using MonitorConsole.Web.Access;
using MonitorConsole.Web.Api.Contracts;

namespace MonitorConsole.Web.Api;

/// <summary>/api/audit: append, trails, one entry, verify, export and statistics.</summary>
internal static class AuditEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var audit = app.MapGroup("/api/audit").WithTags("Audit ledger");
        audit.MapPost("/entries", AppendAsync).RequirePermission(Permission.AppendAudit)
            .WithSummary("Append one entry, or an array of entries in one transaction")
            .AcceptsJsonOneOf<NewAuditEntry, NewAuditEntry[]>().ProducesOneOf<AppendedEntry, AppendedEntries>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status409Conflict);
        audit.MapGet("/entries", TrailAsync).RequirePermission(Permission.ReadLedger)
            .WithSummary("Entries matching the filters (any case; resource=type/id; q= words in data and details), newest first, keyset-paged, with the total")
            .Produces<AuditTrailPage>().ProducesInputProblem();
        audit.MapGet("/suggestions", SuggestAsync).RequirePermission(Permission.ReadLedger)
            .WithSummary("Up to 20 actors, actions or resources (type/id) present in the ledger that start with what was typed, in any case")
            .Produces<AuditSuggestions>().ProducesInputProblem();
        audit.MapGet("/entries/{id}", GetAsync).RequirePermission(Permission.ReadLedger).WithSummary("One entry by id")
            .Produces<AuditEntryResponse>().ProducesProblem(StatusCodes.Status404NotFound);
        audit.MapPost("/verify", VerifyAsync).RequirePermission(Permission.VerifyLedger)
            .WithSummary("Verify the chain or a time range (recorded in the ledger)")
            .AcceptsJson<VerifyRange>(required: false).Produces<VerificationResult>().ProducesProblem(StatusCodes.Status409Conflict);
        audit.MapGet("/export", ExportAsync).RequirePermission(Permission.ExportLedger)
            .WithSummary("Stream the chain or a filtered trail as JSON or CSV (recorded in the ledger)")
            .ProducesDownload("The export file (format=json: a JSON document; format=csv: a header row, then one row per entry)", ApiMetadata.Json, ApiMetadata.Csv)
            .ProducesInputProblem();
        audit.MapGet("/stats", StatsAsync).RequirePermission(Permission.ReadLedger)
            .WithSummary("Ledger statistics (one shared pass over the chain, reused while its head is unchanged)")
            .Produces<AuditStatistics>().ProducesInputProblem();
        audit.MapPost("/rollback", RollbackAsync).RequirePermission(Permission.RollbackLedger)
            .WithSummary("Roll the ledger back to an entry: appends a ROLLBACK entry, deletes nothing")
            .AcceptsJson<RollbackRequest>().Produces<RollbackResponse>().ProducesProblem(StatusCodes.Status409Conflict);
        audit.MapPost("/entries/{sequence}/erase", EraseAsync).RequirePermission(Permission.EraseData)
            .WithSummary("Erase an entry's data text (personal data): appends an ERASURE entry; hashes, details and links stay, so the chain still verifies")
            .AcceptsJson<ErasureRequest>().Produces<ErasureResponse>().ProducesInputProblem().ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<IResult> AppendAsync(HttpRequest request, LedgerOperations ledger, CancellationToken ct)
    {
        var caller = CallerPrincipal.From(request.HttpContext.User);
        using var body = await RequestJson.ParseAsync(request, ct);
        var root = body.RootElement;
        if (root.ValueKind == JsonValueKind.Array)
        {
            var drafts = root.EnumerateArray().Select((e, i) => AuditEntryDraft.FromJson(e, $"entries[{i}]")).ToList();
            var written = await ledger.AppendBatchAsync(caller, drafts, ct);
            return Results.Created("/api/audit/entries", new AppendedEntries([.. written.Select(AppendedEntry.From)]));
        }
        var entry = await ledger.AppendAsync(caller, AuditEntryDraft.FromJson(root, "body"), ct);
        return Results.Created($"/api/audit/entries/{entry.EntryId}", AppendedEntry.From(entry));
    }

    private static async Task<IResult> TrailAsync(
        AuditQueries queries, SearchIndexer search, string? actor, string? action, string? resource,
        [FromQuery(Name = "resource_type")] string? resourceType, [FromQuery(Name = "resource_id")] string? resourceId,
        string? q, string? from, string? to, long? cursor, int? limit,
        [FromQuery(Name = "include_rolled_back")] bool? includeRolledBack, CancellationToken ct)
    {
        var filter = Filter(actor, action, resourceType, resourceId, from, to, includeRolledBack, resource, q);
        var page = await queries.GetTrailAsync(filter, cursor, limit ?? 50, ct);
        var total = await queries.CountAsync(filter, ct);
        var index = await search.StatusAsync(ct);
        return Results.Ok(new AuditTrailPage([.. page.Entries.Select(AuditEntryResponse.From)], page.NextCursor, total, index.Behind));
    }

    private static async Task<IResult> SuggestAsync(AuditQueries queries, string? field, string? prefix, int? limit, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(field)) throw new AuditValidationException("field", "is required: actor, action or resource");
        return Results.Ok(new AuditSuggestions(await queries.SuggestAsync(field.Trim().ToLowerInvariant(), prefix, limit ?? AuditQueries.MaxSuggestions, ct)));
    }

    private static async Task<IResult> GetAsync(string id, AuditQueries queries, CancellationToken ct) =>
        await queries.GetByIdAsync(id, ct) is { } view
            ? Results.Ok(AuditEntryResponse.From(view))
            : Results.Problem(statusCode: 404, title: "Unknown entry", detail: $"no entry has entry_id {id}");

    private static async Task<IResult> VerifyAsync(HttpRequest request, LedgerOperations ledger, CancellationToken ct)
    {
        DateTime? from = null, to = null;
        if (request.ContentLength > 0)
        {
            using var body = await RequestJson.ParseAsync(request, ct);
            if (body.RootElement.ValueKind != JsonValueKind.Object) throw new AuditValidationException("body", "must be a JSON object");
            from = body.RootElement.TryGetProperty("from", out var f) && f.ValueKind == JsonValueKind.String ? Time(JsonText.Get(f, "from"), "from") : null;
            to = body.RootElement.TryGetProperty("to", out var t) && t.ValueKind == JsonValueKind.String ? Time(JsonText.Get(t, "to"), "to") : null;
        }
        return Results.Ok(await ledger.VerifyAsync(CallerPrincipal.From(request.HttpContext.User), new VerificationScope(from, to), null, ct));
    }

    private static async Task ExportAsync(
        HttpContext context, LedgerOperations ledger, TimeProvider clock, string? format, string? actor, string? action,
        [FromQuery(Name = "resource_type")] string? resourceType, [FromQuery(Name = "resource_id")] string? resourceId,
        string? from, string? to, [FromQuery(Name = "include_rolled_back")] bool? includeRolledBack, string? resource, string? q,
        CancellationToken ct)
    {
        var kind = (format ?? "json").ToLowerInvariant() switch
        {
            "json" => ExportFormat.Json,
            "csv" => ExportFormat.Csv,
            _ => throw new AuditValidationException("format", "must be json or csv"),
        };
        // Any filter, include_rolled_back among them, makes it a trail export: it then holds exactly the entries the
        // trail shows for the same query (rolled-back ones only when asked for). Without any, it is the whole chain.
        var anyFilter = actor ?? action ?? resourceType ?? resourceId ?? from ?? to ?? resource ?? q ?? includeRolledBack?.ToString();
        var filter = anyFilter is null ? null : Filter(actor, action, resourceType, resourceId, from, to, includeRolledBack, resource, q);
        if (filter is { IsWholeChain: true }) filter = null;
        var extension = kind == ExportFormat.Json ? "json" : "csv";
        var name = $"audit-{(filter is null ? "chain" : "trail")}-{clock.GetUtcNow():yyyy-MM-dd}.{extension}";
        context.Response.ContentType = kind == ExportFormat.Json ? "application/json" : "text/csv; charset=utf-8";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{name}\"";
        await ledger.ExportAsync(CallerPrincipal.From(context.User), context.Response.Body, kind, filter, ct);
    }

    private static async Task<IResult> StatsAsync(
        AuditQueries queries, ChainPassCache passes, [FromQuery(Name = "include_rolled_back")] bool? includeRolledBack, CancellationToken ct)
    {
        var include = includeRolledBack ?? false;
        return Results.Ok(await passes.GetAsync(include ? "stats:with-rolled-back" : "stats", "",
            pass => queries.GetStatisticsAsync(include, pass), ct));
    }

    private static async Task<IResult> RollbackAsync(HttpRequest request, LedgerOperations ledger, CancellationToken ct)
    {
        using var body = await RequestJson.ParseAsync(request, ct);
        var root = body.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new AuditValidationException("body", "must be a JSON object with to_hash and reason");
        var result = await ledger.RollbackAsync(CallerPrincipal.From(request.HttpContext.User), Text(root, "to_hash"), Text(root, "reason"), ct);
        return Results.Ok(new RollbackResponse(result.RolledBackCount, AppendedEntry.From(result.RollbackEntry)));
    }

    private static async Task<IResult> EraseAsync(long sequence, HttpRequest request, LedgerOperations ledger, CancellationToken ct)
    {
        using var body = await RequestJson.ParseAsync(request, ct);
        var root = body.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new AuditValidationException("body", "must be a JSON object with reason");
        var result = await ledger.EraseAsync(CallerPrincipal.From(request.HttpContext.User), sequence, Text(root, "reason"), ct);
        return Results.Ok(new ErasureResponse(result.ErasedSequence, result.ErasedEntryHash, AppendedEntry.From(result.ErasureEntry)));
    }

    private static string Text(JsonElement root, string field) =>
        root.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String ? JsonText.Get(value, field) : "";

    /// <summary>
    /// The trail filter from query parameters; resource ("type/id", or a type alone) is the form the trail shows, and
    /// resource_type/resource_id stay for existing clients (resource wins when both are given).
    /// </summary>
    internal static TrailFilter Filter(string? actor, string? action, string? resourceType, string? resourceId, string? from,
        string? to, bool? includeRolledBack, string? resource = null, string? q = null) => new TrailFilter
    {
        Actor = Blank(actor),
        Action = Blank(action),
        ResourceType = Blank(resourceType),
        ResourceId = Blank(resourceId),
        Text = Blank(q),
        From = Time(from, "from"),
        To = Time(to, "to"),
        IncludeRolledBack = includeRolledBack ?? false,
    }.WithResource(resource);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    internal static DateTime? Time(string? value, string field) => UtcTime.Parse(value, field);
}
