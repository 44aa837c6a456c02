using System.Data.Common;
using MonitorConsole.Audit.Search;
using MonitorConsole.Audit.Storage;

namespace MonitorConsole.Audit.Chain;

public sealed record ErasureResult(long ErasedSequence, string ErasedEntryHash, AuditEntry ErasureEntry);

/// <summary>
/// Erases the data text of one entry (personal data) without breaking the chain: in one transaction it appends an
/// ERASURE entry naming the entry's sequence and entry hash, then blanks the entry's data. data_hash, details and
/// every other field stay, so the entry hash and the links still verify, and verification reports the entry as
/// erased. The database's update guard lets this one change through only once the ERASURE entry exists.
/// </summary>
public sealed class ErasureService(AuditWriter writer, Microsoft.Extensions.Options.IOptions<AuditOptions> options)
{
    /// <summary>Longest reason, in characters (it is stored in the ERASURE entry's data).</summary>
    public const int MaxReasonLength = 2000;

    public async Task<ErasureResult> EraseAsync(long sequence, string actor, string reason, CancellationToken ct = default)
    {
        if (sequence < 1) throw new AuditValidationException("sequence", "must be 1 or more");
        if (string.IsNullOrWhiteSpace(actor)) throw new AuditValidationException("actor", "is required and must not be empty");
        if (string.IsNullOrWhiteSpace(reason)) throw new AuditValidationException("reason", "is required and must not be empty");
        reason = reason.Trim();
        if (reason.Length > MaxReasonLength)
            throw new AuditValidationException("reason", $"is longer than {MaxReasonLength} characters");

        string erasedHash = "";
        string? details = null;
        var entry = await writer.AppendInternalAsync(async (_, connection, transaction, token) =>
        {
            var target = await LoadAsync(connection, transaction, sequence, token);
            CheckErasable(target, sequence);
            erasedHash = target!.EntryHash;
            details = target.Details;
            return new AuditEntryDraft(LedgerVocabulary.ErasureAction, actor, LedgerVocabulary.LedgerResourceType,
                target.EntryId, ErasureRecord.Format(sequence, target.EntryHash, reason));
        }, ct, async (_, connection, transaction, token) =>
        {
            await ExecAsync(connection, transaction, LedgerSql.EraseData, sequence, token);
            await PurgeSearchWordsAsync(connection, transaction, sequence, details, token);
        });
        return new ErasureResult(sequence, erasedHash, entry);
    }

    private static void CheckErasable(AuditEntry? target, long sequence)
    {
        if (target is null) throw new AuditValidationException("sequence", $"no entry has sequence {sequence}");
        if (target.Action is LedgerVocabulary.RollbackAction or LedgerVocabulary.ErasureAction)
            throw new AuditValidationException("sequence",
                $"entry {sequence} is a {target.Action} entry: the ledger's own records cannot be erased");
        if (target.Data.Length == 0)
            throw new AuditValidationException("sequence", $"the data of entry {sequence} has already been erased");
        // Erasing a tampered entry would wipe the evidence: only an entry whose hashes hold is erased.
        if (HashSpec.ComputeDataHash(target.Data) != target.DataHash || HashSpec.ComputeEntryHash(target) != target.EntryHash)
            throw new AuditOperationException(
                $"entry {sequence} does not hold its own hashes (tampered); verify the chain; nothing was erased");
    }

    /// <summary>
    /// The entry's words leave the search index; its details' words stay, as details stay. The mark's row lock keeps
    /// an indexer from writing words it read before the erasure (it re-checks erased rows under the same lock).
    /// </summary>
    private async Task PurgeSearchWordsAsync(
        DbConnection connection, DbTransaction transaction, long sequence, string? details, CancellationToken ct)
    {
        await using (var lockMark = connection.CreateCommand())
        {
            lockMark.Transaction = transaction;
            lockMark.CommandText = LedgerSql.SearchLockProgress;
            await lockMark.ExecuteNonQueryAsync(ct);
        }
        await ExecAsync(connection, transaction, LedgerSql.SearchTokensDelete, sequence, ct);
        if (sequence > await SearchIndexer.IndexedThroughAsync(connection, transaction, ct)) return;
        var words = SearchTokens.Of(options.Value.Search.MaxWordsPerEntry, details);
        await SearchIndexer.InsertTokensAsync(connection, transaction, words.Select(w => (w, sequence)).ToList(), ct);
    }

    private static async Task ExecAsync(DbConnection connection, DbTransaction transaction, string sql, long sequence, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        EntryRows.AddParameter(command, "@sequence", sequence);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<AuditEntry?> LoadAsync(DbConnection connection, DbTransaction transaction, long sequence, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = LedgerSql.Of(connection).OneBySequence;
        EntryRows.AddParameter(command, "@value", sequence);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? EntryRows.ReadEntry(reader) : null;
    }
}
