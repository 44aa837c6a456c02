using System.Collections.Concurrent;
using System.Data.Common;
using MonitorConsole.Audit.Storage;

namespace MonitorConsole.Audit.Chain;

/// <summary>The newest entry of the chain, read inside the write transaction.</summary>
public sealed record ChainHead(long Sequence, string EntryHash, DateTime Timestamp)
{
    public static readonly ChainHead Empty = new(0, HashSpec.GenesisHash, DateTime.MinValue);
}

/// <summary>
/// The only writer of the chain. Appends wait for a process-wide gate; whoever holds it writes every append queued so
/// far in one transaction (group commit), so concurrent callers share one durable commit. Across processes the
/// database's write lock (BEGIN IMMEDIATE on SQLite) serializes writers, and the head is re-read under it.
/// </summary>
public sealed class AuditWriter(AuditDatabase database, TimeProvider clock)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentQueue<PendingAppend> _queue = new();
    private readonly EntryPreparer _preparer = new(database.Options.MaxJsonBytes);

    public async Task<AuditEntry> AppendAsync(AuditEntryDraft draft, CancellationToken cancellationToken = default) =>
        (await AppendBatchAsync([draft], cancellationToken))[0];

    /// <summary>Appends all drafts in one transaction, or none of them.</summary>
    public async Task<IReadOnlyList<AuditEntry>> AppendBatchAsync(
        IReadOnlyList<AuditEntryDraft> drafts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(drafts);
        if (drafts.Count == 0) throw new AuditValidationException("entries", "the batch is empty");
        var prepared = new PreparedEntry[drafts.Count];
        for (var i = 0; i < drafts.Count; i++)
        {
            try
            {
                prepared[i] = _preparer.Prepare(drafts[i]);
            }
            catch (AuditValidationException ex) when (drafts.Count > 1)
            {
                throw new AuditValidationException($"entries[{i}].{ex.Field}", ex.Problem);
            }
        }
        await database.EnsureInitializedAsync(cancellationToken);
        var pending = new PendingAppend(prepared);
        _queue.Enqueue(pending);
        // Once queued, the append is no longer cancellable: another caller may already be writing it.
        await _gate.WaitAsync(CancellationToken.None);
        try
        {
            if (!pending.Completion.Task.IsCompleted) await WriteQueuedAsync();
        }
        finally
        {
            _gate.Release();
        }
        return await pending.Completion.Task;
    }

    /// <summary>
    /// Appends a stream of drafts in a single transaction without holding them in memory; any bad draft rolls back
    /// everything. Returns how many were appended.
    /// </summary>
    public async Task<long> AppendStreamAsync(
        IAsyncEnumerable<AuditEntryDraft> drafts, CancellationToken cancellationToken = default)
    {
        await database.EnsureInitializedAsync(cancellationToken);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var (context, connection) = await database.OpenAsync(cancellationToken);
            await using (context)
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                using var inserter = new EntryInserter(connection, transaction);
                var head = await ReadHeadAsync(connection, transaction, cancellationToken);
                long index = 0;
                await foreach (var draft in drafts.WithCancellation(cancellationToken))
                {
                    PreparedEntry prepared;
                    try
                    {
                        prepared = _preparer.Prepare(draft);
                    }
                    catch (AuditValidationException ex)
                    {
                        throw new AuditValidationException($"entries[{index}].{ex.Field}", ex.Problem);
                    }
                    head = Chain(prepared, head, inserter).Head;
                    index++;
                }
                if (index == 0) throw new AuditValidationException("entries", "the batch is empty");
                await transaction.CommitAsync(cancellationToken);
                return index;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Appends one ledger-internal entry (e.g. ROLLBACK) that <paramref name="build"/> makes from the head inside the
    /// write transaction; nothing is written if it throws.
    /// </summary>
    internal async Task<AuditEntry> AppendInternalAsync(
        Func<ChainHead, DbConnection, DbTransaction, CancellationToken, Task<AuditEntryDraft>> build,
        CancellationToken cancellationToken)
    {
        await database.EnsureInitializedAsync(cancellationToken);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var (context, connection) = await database.OpenAsync(cancellationToken);
            await using (context)
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                var head = await ReadHeadAsync(connection, transaction, cancellationToken);
                var draft = await build(head, connection, transaction, cancellationToken);
                using var inserter = new EntryInserter(connection, transaction);
                var entry = Chain(_preparer.Prepare(draft, allowReserved: true), head, inserter).Entry;
                await transaction.CommitAsync(cancellationToken);
                return entry;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task WriteQueuedAsync()
    {
        var group = new List<PendingAppend>();
        var count = 0;
        while (count < database.Options.MaxGroupCommitEntries && _queue.TryDequeue(out var next))
        {
            group.Add(next);
            count += next.Entries.Length;
        }
        try
        {
            var results = new List<AuditEntry[]>(group.Count);
            var (context, connection) = await database.OpenAsync(CancellationToken.None);
            await using (context)
            {
                await using var transaction = await connection.BeginTransactionAsync();
                using var inserter = new EntryInserter(connection, transaction);
                var head = await ReadHeadAsync(connection, transaction, CancellationToken.None);
                foreach (var pending in group)
                {
                    var written = new AuditEntry[pending.Entries.Length];
                    for (var i = 0; i < written.Length; i++)
                        (written[i], head) = Chain(pending.Entries[i], head, inserter);
                    results.Add(written);
                }
                await transaction.CommitAsync();
            }
            for (var i = 0; i < group.Count; i++) group[i].Completion.TrySetResult(results[i]);
        }
        catch (Exception ex)
        {
            foreach (var pending in group) pending.Completion.TrySetException(ex);
        }
    }

    private (AuditEntry Entry, ChainHead Head) Chain(PreparedEntry prepared, ChainHead head, EntryInserter inserter)
    {
        // Timestamps never go backwards along the chain, so time ranges map onto sequence ranges.
        var now = HashSpec.TruncateToMicroseconds(clock.GetUtcNow().UtcDateTime);
        var timestamp = now < head.Timestamp ? head.Timestamp : now;
        var entry = new AuditEntry
        {
            Sequence = head.Sequence + 1,
            EntryId = Guid.CreateVersion7(new DateTimeOffset(timestamp)).ToString("D"),
            Timestamp = timestamp,
            Action = prepared.Action,
            Actor = prepared.Actor,
            ResourceType = prepared.ResourceType,
            ResourceId = prepared.ResourceId,
            Data = prepared.Data,
            Details = prepared.Details,
            DataHash = prepared.DataHash,
            PreviousHash = head.EntryHash,
        };
        entry.EntryHash = HashSpec.ComputeEntryHash(entry);
        inserter.Insert(entry);
        return (entry, new ChainHead(entry.Sequence, entry.EntryHash, entry.Timestamp));
    }

    internal static async Task<ChainHead> ReadHeadAsync(
        DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText =
            $"SELECT sequence, entry_hash, timestamp FROM {AuditSchema.Table} ORDER BY sequence DESC LIMIT 1";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return ChainHead.Empty;
        HashSpec.TryParseTimestamp(reader.GetString(2), out var timestamp);
        return new ChainHead(reader.GetInt64(0), reader.GetString(1), timestamp);
    }

    private sealed record PendingAppend(PreparedEntry[] Entries)
    {
        public TaskCompletionSource<AuditEntry[]> Completion { get; } =
            new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
