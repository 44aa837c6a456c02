using MonitorConsole.Audit;
using MonitorConsole.Audit.Checkpoints;
using MonitorConsole.Audit.Merkle;
using MonitorConsole.Audit.Queries;
using MonitorConsole.Access;
using MonitorConsole.Web.Access;

namespace MonitorConsole.Web.Api;

/// <summary>/api/audit/checkpoints and /api/audit/proofs: signed checkpoints and Merkle proofs, as offline-checkable files.</summary>
internal static class ProofEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var audit = app.MapGroup("/api/audit").WithTags("Audit ledger");
        audit.MapPost("/checkpoints", async (CheckpointService checkpoints, CancellationToken ct) =>
                Results.Text((await checkpoints.CreateAsync(ct)).ToJson(), "application/json", statusCode: 201))
            .RequirePermission(Permission.VerifyLedger).WithSummary("Sign the chain head now");
        audit.MapGet("/checkpoints/latest", LatestAsync).RequirePermission(Permission.ReadLedger)
            .WithSummary("The newest checkpoint and whether the chain still matches it");
        audit.MapGet("/proofs/inclusion", InclusionAsync).RequirePermission(Permission.ReadLedger)
            .WithSummary("Proof that an entry is in the ledger, against the newest checkpoint that covers it");
        audit.MapGet("/proofs/consistency", ConsistencyAsync).RequirePermission(Permission.ReadLedger)
            .WithSummary("Proof that the ledger now extends the tree of the first `from` entries");
    }

    private static async Task<IResult> LatestAsync(CheckpointService checkpoints, CancellationToken ct)
    {
        if (await checkpoints.LatestAsync(ct) is not { } latest)
            return Results.Problem(statusCode: 404, title: "No checkpoint yet", detail: "POST /api/audit/checkpoints makes one");
        var check = await checkpoints.CheckAsync(latest, ct);
        return Results.Ok(new { checkpoint = latest, check });
    }

    private static async Task<IResult> InclusionAsync(long? sequence, CheckpointService checkpoints, LedgerProofs proofs, AuditQueries queries, CancellationToken ct)
    {
        if (sequence is not { } n) throw new AuditValidationException("sequence", "is required");
        var entry = await queries.GetBySequenceAsync(n, ct) ?? throw new AuditValidationException("sequence", $"no entry has sequence {n}");
        var checkpoint = await checkpoints.LatestAsync(ct) is { } latest && latest.TreeSize >= n ? latest : await checkpoints.CreateAsync(ct);
        return Results.Text(ProofFiles.Inclusion(entry.Entry, await proofs.InclusionAsync(n, checkpoint.TreeSize, ct), checkpoint), "application/json");
    }

    private static async Task<IResult> ConsistencyAsync(long? from, long? to, LedgerProofs proofs, CancellationToken ct)
    {
        if (from is not { } m) throw new AuditValidationException("from", "is required");
        return Results.Ok(await proofs.ConsistencyAsync(m, to, ct));
    }
}
