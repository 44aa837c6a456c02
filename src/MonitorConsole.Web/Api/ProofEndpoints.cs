using MonitorConsole.Audit;
using MonitorConsole.Audit.Checkpoints;
using MonitorConsole.Audit.Merkle;
using MonitorConsole.Audit.Queries;
using MonitorConsole.Access;
using MonitorConsole.Web.Access;
using MonitorConsole.Web.Api.Contracts;

namespace MonitorConsole.Web.Api;

/// <summary>
/// /api/audit/checkpoints and /api/audit/proofs: signed checkpoints and Merkle proofs, as offline-checkable files.
/// GETs only read: a checkpoint is made by POST (a person's verify permission) or the schedule, never as a side effect.
/// </summary>
internal static class ProofEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var audit = app.MapGroup("/api/audit").WithTags("Audit ledger");
        audit.MapPost("/checkpoints", async (CheckpointService checkpoints, CancellationToken ct) =>
                Results.Text((await checkpoints.CreateAsync(ct)).ToJson(), "application/json", statusCode: 201))
            .RequirePermission(Permission.VerifyLedger).WithSummary("Sign the chain head now")
            .Produces<Checkpoint>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status409Conflict);
        audit.MapGet("/checkpoints/latest", LatestAsync).RequirePermission(Permission.ReadLedger)
            .WithSummary("The newest checkpoint and whether the chain still matches it (one shared check, reused while the chain head is unchanged)")
            .Produces<LatestCheckpoint>().ProducesProblem(StatusCodes.Status404NotFound);
        audit.MapGet("/proofs/inclusion", InclusionAsync).RequirePermission(Permission.ReadLedger)
            .WithSummary("Proof that an entry is in the ledger, against the newest checkpoint; 409 when no checkpoint covers it yet")
            .Produces<InclusionProofFile>().ProducesInputProblem().ProducesProblem(StatusCodes.Status409Conflict);
        audit.MapGet("/proofs/consistency", ConsistencyAsync).RequirePermission(Permission.ReadLedger)
            .WithSummary("Proof that the ledger now extends the tree of the first `from` entries")
            .Produces<ConsistencyProof>().ProducesInputProblem().ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<IResult> LatestAsync(CheckpointService checkpoints, ChainPassCache passes, CancellationToken ct)
    {
        if (await checkpoints.LatestAsync(ct) is not { } latest)
            return Results.Problem(statusCode: 404, title: "No checkpoint yet", detail: "POST /api/audit/checkpoints makes one");
        var check = await CheckLatestAsync(passes, checkpoints, latest, ct);
        return Results.Ok(new LatestCheckpoint(latest, check));
    }

    /// <summary>Compares the chain with the checkpoint through the shared, head-keyed pass.</summary>
    public static Task<CheckpointCheck> CheckLatestAsync(ChainPassCache passes, CheckpointService checkpoints, Checkpoint latest, CancellationToken ct) =>
        passes.GetAsync("checkpoint-check", latest.Signature, pass => checkpoints.CheckAsync(latest, pass), ct);

    private static async Task<IResult> InclusionAsync(long? sequence, CheckpointService checkpoints, LedgerProofs proofs, AuditQueries queries, CancellationToken ct)
    {
        if (sequence is not { } n) throw new AuditValidationException("sequence", "is required");
        var entry = await queries.GetBySequenceAsync(n, ct) ?? throw new AuditValidationException("sequence", $"no entry has sequence {n}");
        // A GET never signs a checkpoint: that is a POST, for people who may verify the ledger (or the schedule).
        var checkpoint = await checkpoints.LatestAsync(ct);
        if (checkpoint is null || checkpoint.TreeSize < n)
            return Results.Problem(statusCode: 409, title: "No checkpoint covers this entry yet",
                detail: $"sequence: entry {n} is newer than the newest signed checkpoint " +
                        $"({(checkpoint is null ? "there is none yet" : $"it covers entries 1 to {checkpoint.TreeSize}")}); " +
                        "POST /api/audit/checkpoints signs the chain head now, or wait for the scheduled checkpoint",
                extensions: new Dictionary<string, object?> { ["field"] = "sequence" });
        return Results.Text(ProofFiles.Inclusion(entry.Entry, await proofs.InclusionAsync(n, checkpoint.TreeSize, ct), checkpoint), "application/json");
    }

    private static async Task<IResult> ConsistencyAsync(long? from, long? to, LedgerProofs proofs, CancellationToken ct)
    {
        if (from is not { } m) throw new AuditValidationException("from", "is required");
        return Results.Ok(await proofs.ConsistencyAsync(m, to, ct));
    }
}
