using System.Text.Json;
using MonitorConsole.Audit.Queries;
using MonitorConsole.Audit.Storage;

namespace MonitorConsole.Audit.Chain;

public sealed record RollbackResult(bool Success, long RolledBackCount, AuditEntry RollbackEntry);

/// <summary>
/// Rolls the ledger back to an entry without deleting anything: after verifying the chain up to the target, it appends a
/// ROLLBACK entry; the entries between the target and it are then reported as rolled back.
/// </summary>
public sealed class RollbackService(AuditDatabase database, AuditWriter writer, ChainVerifier verifier)
{
    public async Task<RollbackResult> RollbackAsync(
        string targetHash, string actor, string reason, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(targetHash)) throw new AuditValidationException("to_hash", "is required");
        targetHash = targetHash.Trim().ToLowerInvariant();
        if (!HashSpec.IsHashHex(targetHash)) throw new AuditValidationException("to_hash", "must be 64 hex digits");
        if (string.IsNullOrWhiteSpace(actor)) throw new AuditValidationException("actor", "is required and must not be empty");
        if (string.IsNullOrWhiteSpace(reason)) throw new AuditValidationException("reason", "is required and must not be empty");

        // Verify the prefix before taking the write lock, so a long verification does not stall appends; the prefix
        // is append-only, so what was verified is what the ROLLBACK entry refers to.
        var targetSequence = await FindWithoutLockAsync(targetHash, ct);
        // The prefix ends at the target, so the target itself must hold its hashes and links: a planted or altered
        // row carrying a copied hash is refused here rather than rolled back to.
        var prefix = await verifier.VerifyAsync(new VerificationScope(ToSequence: targetSequence), null, ct);
        if (!prefix.Valid)
            throw new AuditOperationException(
                $"the chain is broken before the target (first problem at sequence {FirstProblem(prefix)}); nothing was rolled back");

        long rolledBack = 0;
        var entry = await writer.AppendInternalAsync(async (head, connection, transaction, token) =>
        {
            var target = await FindAsync(connection, transaction, targetHash, token);
            var ranges = await RolledBackRanges.LoadAsync(connection, transaction, token);
            if (ranges.Contains(target.Sequence))
                throw new AuditOperationException(
                    $"to_hash: entry {target.Sequence} has itself been rolled back; roll back to an entry before it");
            if (target.Sequence == head.Sequence)
                throw new AuditOperationException(
                    $"to_hash: entry {target.Sequence} is the newest entry; there is nothing to roll back");
            rolledBack = head.Sequence - target.Sequence;
            return new AuditEntryDraft(
                LedgerVocabulary.RollbackAction, actor, LedgerVocabulary.LedgerResourceType, target.EntryId,
                JsonSerializer.Serialize(new Dictionary<string, object>
                {
                    ["target_hash"] = target.EntryHash,
                    ["target_sequence"] = target.Sequence,
                    ["rolled_back_count"] = rolledBack,
                    ["rolled_back_from_sequence"] = target.Sequence + 1,
                    ["rolled_back_to_sequence"] = head.Sequence,
                }),
                JsonSerializer.Serialize(new Dictionary<string, string> { ["reason"] = reason }));
        }, ct);
        return new RollbackResult(true, rolledBack, entry);
    }

    private static long FirstProblem(VerificationResult result) =>
        result.InvalidEntries.Select(i => i.Sequence).Concat(result.ChainBreaks.Select(b => b.Sequence)).DefaultIfEmpty(0).Min();

    private async Task<long> FindWithoutLockAsync(string hash, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        return (await FindAsync(connection, null, hash, ct)).Sequence;
    }

    /// <summary>
    /// The one chain entry (sequence 1 and up) with the hash. Two rows with one hash mean one of them was planted, and
    /// picking either could roll back the wrong entries, so the rollback is refused.
    /// </summary>
    private static async Task<(long Sequence, string EntryId, string EntryHash)> FindAsync(
        System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? transaction, string hash,
        CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = LedgerSql.Of(connection).RollbackTargets;
        EntryRows.AddParameter(command, "@hash", hash);
        var found = new List<(long, string, string)>(2);
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct)) found.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2)));
        }
        return found.Count switch
        {
            0 => throw new AuditOperationException($"to_hash: no entry has entry_hash {hash}; nothing was rolled back"),
            1 => found[0],
            _ => throw new AuditOperationException(
                $"to_hash: entries {found[0].Item1} and {found[1].Item1} both carry entry_hash {hash}, so the target is ambiguous " +
                "(one of them was planted); verify the chain; nothing was rolled back"),
        };
    }
}
