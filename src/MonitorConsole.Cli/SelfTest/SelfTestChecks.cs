using System.Data.Common;
using Microsoft.Extensions.DependencyInjection;
using MonitorConsole.Audit;
using MonitorConsole.Audit.Chain;
using MonitorConsole.Audit.Checkpoints;
using MonitorConsole.Audit.Export;
using MonitorConsole.Audit.Queries;
using MonitorConsole.Cli.Audit;

namespace MonitorConsole.Cli.SelfTest;

/// <summary>The checks after migrate. Each returns what it showed, or throws <see cref="CheckFailedException"/>.</summary>
public sealed partial class SelfTestRun
{
    /// <summary>Text a database with a narrow character set or a lossy collation would not give back as written (4-byte UTF-8 included).</summary>
    private const string WideText = """{"note":"Größe ≥ 0.85 — 日本語 🔒","quote":"it's \"fine\""}""";

    private const string Actor = "selftest";

    private static AuditEntryDraft Draft(string actor, int i) =>
        new("SELFTEST", actor, "ledger", $"entry-{i}", $$"""{"check":"selftest","i":{{i}}}""", null);

    private async Task<string> AppendAsync(ServiceProvider services, CancellationToken ct)
    {
        var writer = services.GetRequiredService<AuditWriter>();
        var before = await CountAsync(ct);
        var single = await writer.AppendAsync(
            new AuditEntryDraft("SELFTEST", Actor, "ledger", "single", WideText, """{"check":"append"}"""), ct);
        var readBack = (await services.GetRequiredService<AuditQueries>().GetByIdAsync(single.EntryId, ct))?.Entry
                       ?? throw new CheckFailedException($"entry {single.EntryId} was appended but cannot be read back");
        if (readBack.Data != single.Data || readBack.Details != single.Details || readBack.Timestamp != single.Timestamp
            || readBack.EntryHash != single.EntryHash || HashSpec.ComputeEntryHash(readBack) != single.EntryHash)
            throw new CheckFailedException(
                $"entry {single.Sequence} does not read back as written (its text, time or hash changed): check the database's character set and collation");

        var batch = await writer.AppendBatchAsync(Enumerable.Range(1, BatchEntries).Select(i => Draft(Actor, i)).ToList(), ct);
        if (batch[0].Sequence != single.Sequence + 1 || batch[^1].Sequence != single.Sequence + BatchEntries)
            throw new CheckFailedException(
                $"the batch took sequences {batch[0].Sequence}–{batch[^1].Sequence}, expected {single.Sequence + 1}–{single.Sequence + BatchEntries}");
        var after = await CountAsync(ct);
        if (after != before + 1 + BatchEntries)
            throw new CheckFailedException($"{after - before} rows were added for 1 + {BatchEntries} appended entries");
        return $"1 + {N(BatchEntries)} entries, read back as written";
    }

    private async Task<string> ConcurrentWritersAsync(ServiceProvider services, CancellationToken ct)
    {
        var before = await CountAsync(ct);
        // One set of services per writer: its own writer, group-commit queue and connection pool, as separate
        // processes would have; the database's lock is all that keeps them from forking the chain.
        var writers = Enumerable.Range(1, Writers).Select(w => Services(scratch.DatabaseForWriter(w))).ToList();
        try
        {
            await Task.WhenAll(writers.Select((writer, i) => WriteAsync(writer.GetRequiredService<AuditWriter>(), WriterName(i + 1), ct)));
        }
        finally
        {
            foreach (var writer in writers) await writer.DisposeAsync();
        }

        var (count, first, last) = await ShapeAsync(ct);
        if (count != before + (Writers * EntriesPerWriter))
            throw new CheckFailedException($"{count - before} rows were added for {Writers * EntriesPerWriter} appended entries");
        if (first != 1 || last != count)
            throw new CheckFailedException($"{count} rows hold sequences {first}–{last}: the sequence has gaps or repeats");
        for (var w = 1; w <= Writers; w++)
        {
            var written = await scratch.NumberAsync($"SELECT COUNT(*) FROM audit_entries WHERE actor = '{WriterName(w)}'", ct);
            if (written != EntriesPerWriter)
                throw new CheckFailedException($"{WriterName(w)} appended {EntriesPerWriter} entries but {written} are in the ledger");
        }
        var verification = await VerifierOf(services).VerifyAsync(null, null, ct);
        return verification.Valid
            ? $"{Writers} independent writers × {N(EntriesPerWriter)} entries, {InFlightPerWriter} in flight each: chain valid, sequences 1–{N(last)} without gaps"
            : throw new CheckFailedException($"the chain is broken after concurrent appends: {Summary(verification)}");
    }

    private static string WriterName(int writer) => $"selftest-writer-{writer}";

    private static Task WriteAsync(AuditWriter writer, string actor, CancellationToken ct) =>
        Task.WhenAll(Enumerable.Range(0, InFlightPerWriter).Select(async lane =>
        {
            for (var i = lane; i < EntriesPerWriter; i += InFlightPerWriter) await writer.AppendAsync(Draft(actor, i), ct);
        }));

    private async Task<string> VerifyAsync(ServiceProvider services, CancellationToken ct)
    {
        var (count, _, last) = await ShapeAsync(ct);
        var verifier = services.GetRequiredService<ChainVerifier>();
        var whole = await verifier.VerifyAsync(null, null, ct);
        if (!whole.Valid) throw new CheckFailedException(Summary(whole));
        if (whole.TotalEntries != count || whole.VerifiedEntries != count)
            throw new CheckFailedException($"verification read {whole.TotalEntries} entries but the table holds {count}");
        var headHash = await scratch.TextAsync($"SELECT entry_hash FROM audit_entries WHERE sequence = {last}", ct);
        if (whole.LastEntryHash != headHash)
            throw new CheckFailedException($"verification ended at hash {whole.LastEntryHash}, the newest entry has {headHash}");
        // A time range starts mid-chain, where its first link is checked against the entry before it.
        var middle = (await services.GetRequiredService<AuditQueries>().GetBySequenceAsync(count / 2, ct))!.Entry;
        var range = await verifier.VerifyAsync(new VerificationScope(From: middle.Timestamp), null, ct);
        if (!range.Valid) throw new CheckFailedException($"verification from {AuditCommands.Format(middle.Timestamp)}: {Summary(range)}");
        return $"{N(count)} entries valid; from entry {N(middle.Sequence)}'s time on, {N(range.TotalEntries)} valid";
    }

    private async Task<string> AppendOnlyAsync(CancellationToken ct)
    {
        var (count, _, last) = await ShapeAsync(ct);
        const string firstActor = "SELECT actor FROM audit_entries WHERE sequence = 1";
        var actor = await scratch.TextAsync(firstActor, ct);
        var update = await RefusalAsync("UPDATE audit_entries SET actor = 'selftest-insider' WHERE sequence = 1", ct);
        var delete = await RefusalAsync($"DELETE FROM audit_entries WHERE sequence = {last}", ct);
        if (update is null) throw new CheckFailedException("the database accepted an UPDATE of audit_entries: its append-only guard is missing");
        if (delete is null) throw new CheckFailedException("the database accepted a DELETE from audit_entries: its append-only guard is missing");
        if (await scratch.TextAsync(firstActor, ct) != actor || await CountAsync(ct) != count)
            throw new CheckFailedException("the database reported an error but changed the rows anyway");
        return "UPDATE and DELETE on audit_entries refused by the database";
    }

    /// <summary>The database's answer to SQL it should refuse, or null when it ran it.</summary>
    private async Task<string?> RefusalAsync(string sql, CancellationToken ct)
    {
        try
        {
            await scratch.ExecuteAsync(sql, ct);
            return null;
        }
        catch (DbException e)
        {
            return e.Message;
        }
    }

    private async Task<string> RollbackAsync(ServiceProvider services, CancellationToken ct)
    {
        var (_, _, head) = await ShapeAsync(ct);
        if (head <= RolledBackEntries) throw new CheckSkippedException($"needs more than {RolledBackEntries} entries, the ledger has {head}");
        var queries = services.GetRequiredService<AuditQueries>();
        var target = (await queries.GetBySequenceAsync(head - RolledBackEntries, ct))!.Entry;
        var result = await services.GetRequiredService<RollbackService>()
            .RollbackAsync(target.EntryHash, Actor, "selftest: conformance check of rollback", ct);
        if (result.RolledBackCount != RolledBackEntries || result.RollbackEntry.Sequence != head + 1)
            throw new CheckFailedException(
                $"rolled back {result.RolledBackCount} entries with entry {result.RollbackEntry.Sequence}; expected {RolledBackEntries} with entry {head + 1}");
        if ((await queries.GetBySequenceAsync(head, ct))?.RolledBack != true || (await queries.GetBySequenceAsync(target.Sequence, ct))?.RolledBack != false)
            throw new CheckFailedException("the entries after the target are not reported as rolled back (or the target is)");
        var verification = await services.GetRequiredService<ChainVerifier>().VerifyAsync(null, null, ct);
        if (!verification.Valid || verification.TotalEntries != head + 1)
            throw new CheckFailedException($"after the rollback: {Summary(verification)}");
        return $"{RolledBackEntries} entries rolled back by entry {N(head + 1)}, nothing deleted; chain still valid";
    }

    private async Task<string> CheckpointAsync(ServiceProvider services, CancellationToken ct)
    {
        var checkpoints = services.GetRequiredService<CheckpointService>();
        var count = await CountAsync(ct);
        var checkpoint = await checkpoints.CreateAsync(ct);
        if (checkpoint.TreeSize != count)
            throw new CheckFailedException($"the checkpoint covers {checkpoint.TreeSize} entries, the ledger has {count}");
        if ((await checkpoints.LatestAsync(ct))?.Signature != checkpoint.Signature)
            throw new CheckFailedException("the checkpoint was not stored in the database");
        var check = await checkpoints.CheckAsync(checkpoint, ct);
        if (!check.Matches || !check.SignatureValid || !check.KeyTrusted) throw new CheckFailedException(check.Detail);
        await services.GetRequiredService<AuditWriter>().AppendAsync(Draft(Actor, 0), ct);
        var later = await checkpoints.CheckAsync(checkpoint, ct);
        if (!later.Matches || later.ChainSize != checkpoint.TreeSize + 1)
            throw new CheckFailedException($"after one more append: {later.Detail}");
        _checkpoint = checkpoint;
        return $"{N(checkpoint.TreeSize)} entries signed, stored and matching; still matching after 1 more append";
    }

    private async Task<string> ExportAsync(ServiceProvider services, CancellationToken ct)
    {
        var path = Path.Combine(scratch.Files, "export.json");
        long exported;
        await using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            exported = await services.GetRequiredService<AuditExporter>().ExportAsync(file, ExportFormat.Json, null, ct);
        var (count, _, last) = await ShapeAsync(ct);
        if (exported != count) throw new CheckFailedException($"exported {exported} entries of {count}");
        var verification = await ExportVerifier.VerifyFileAsync(path, ExportCheckMode.CompleteChain, ct: ct);
        if (verification.Outcome != ExportOutcomes.CompleteChain || verification.TotalEntries != count)
            throw new CheckFailedException($"offline verification of the export: {verification.Summary}");
        var headHash = await scratch.TextAsync($"SELECT entry_hash FROM audit_entries WHERE sequence = {last}", ct);
        if (verification.LastEntryHash != headHash)
            throw new CheckFailedException($"the export ends at hash {verification.LastEntryHash}, the ledger at {headHash}");
        return $"{N(count)} entries exported as JSON, verified offline as the complete chain";
    }

    /// <summary>
    /// What someone who owns the tables could do once the guard is off: alter an entry's data (its own hashes then
    /// disagree), forge one with every hash recomputed (only the link to the next entry, and the signed checkpoint,
    /// can tell), and delete one (a gap). Each look at the chain uses new services, as a later `audit verify` would.
    /// </summary>
    private async Task<string> TamperDetectionAsync(ServiceProvider services, CancellationToken ct)
    {
        var (count, _, last) = await ShapeAsync(ct);
        if (count < 4 || last != count) throw new CheckSkippedException("needs a chain of at least 4 entries without gaps");
        long altered = last / 4, forged = last / 2, deleted = 3 * last / 4;
        var forgery = (await services.GetRequiredService<AuditQueries>().GetBySequenceAsync(forged, ct))!.Entry;
        forgery.Data = """{"selftest":"forged"}""";
        forgery.DataHash = HashSpec.ComputeDataHash(forgery.Data);
        forgery.EntryHash = HashSpec.ComputeEntryHash(forgery);
        try
        {
            await scratch.ExecuteAsync(scratch.DisableGuardsSql, ct);
        }
        catch (DbException e)
        {
            throw new CheckSkippedException(
                $"could not switch the append-only guard off as the tables' owner could ({e.Message.ReplaceLineEndings(" ")}), so no tampering was simulated");
        }
        await scratch.ExecuteAsync($$"""UPDATE audit_entries SET data = '{"selftest":"altered"}' WHERE sequence = {{altered}}""", ct);
        await scratch.ExecuteAsync(
            $"UPDATE audit_entries SET data = '{forgery.Data}', data_hash = '{forgery.DataHash}', entry_hash = '{forgery.EntryHash}' WHERE sequence = {forged}", ct);
        await using (var later = Services(scratch.Database))
        {
            var result = await VerifierOf(later).VerifyAsync(null, null, ct);
            if (!result.InvalidEntries.Any(e => e.Sequence == altered))
                throw new CheckFailedException($"verification did not report altered entry {altered}: {Summary(result)}");
            if (!result.ChainBreaks.Any(b => b.Sequence == forged + 1 && b.Kind == ChainBreakKinds.PreviousHashMismatch))
                throw new CheckFailedException($"verification did not report the broken link after forged entry {forged}: {Summary(result)}");
            if (_checkpoint is not null && (await later.GetRequiredService<CheckpointService>().CheckAsync(_checkpoint, ct)).Problem != CheckpointCheck.Rewritten)
                throw new CheckFailedException($"the signed checkpoint does not report the rewrite of entry {forged}");
        }

        await scratch.ExecuteAsync($"DELETE FROM audit_entries WHERE sequence = {deleted}", ct);
        await using (var later = Services(scratch.Database))
        {
            var result = await VerifierOf(later).VerifyAsync(null, null, ct);
            if (!result.ChainBreaks.Any(b => b.Sequence == deleted + 1 && b.Kind == ChainBreakKinds.SequenceGap))
                throw new CheckFailedException($"verification did not report the gap where entry {deleted} was deleted: {Summary(result)}");
        }
        return $"with the guard off: altered entry {N(altered)}, forged entry {N(forged)}" +
               (_checkpoint is null ? "" : " (the checkpoint too)") + $" and deleted entry {N(deleted)} all reported";
    }

    private static ChainVerifier VerifierOf(ServiceProvider services) => services.GetRequiredService<ChainVerifier>();

    private static string Summary(VerificationResult result) =>
        AuditCommands.Describe(result).Split(Environment.NewLine).Take(3).Aggregate((a, b) => a + "; " + b.Trim());

    private async Task<long> CountAsync(CancellationToken ct) =>
        await scratch.NumberAsync("SELECT COUNT(*) FROM audit_entries", ct) ?? 0;

    /// <summary>Rows, lowest and highest sequence of the scratch ledger's table, read directly.</summary>
    private async Task<(long Count, long First, long Last)> ShapeAsync(CancellationToken ct) =>
        (await CountAsync(ct),
            await scratch.NumberAsync("SELECT MIN(sequence) FROM audit_entries", ct) ?? 0,
            await scratch.NumberAsync("SELECT MAX(sequence) FROM audit_entries", ct) ?? 0);
}
