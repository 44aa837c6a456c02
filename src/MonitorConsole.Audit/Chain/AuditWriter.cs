using System.Data.Common;
using System.Diagnostics;
using System.Threading.Channels;
using MonitorConsole.Audit.Storage;

namespace MonitorConsole.Audit.Chain;

/// <summary>
/// The only writer of the chain in a process. Appends wait for a gate; whoever holds it writes every append queued so
/// far in one transaction (group commit), so concurrent callers share one durable commit. Across processes the
/// database's write lock (BEGIN IMMEDIATE on SQLite) serializes writers, and the head is re-read under it, so the
/// chain never forks. The writer keeps one connection with its INSERT prepared, since opening one per commit costs
/// more than the commit.
/// </summary>
public sealed class AuditWriter(AuditDatabase database, TimeProvider clock, Operations.LedgerMetrics? metrics = null) : IAsyncDisposable
{
    private const int StreamChunk = 1024;
    private static readonly TimeSpan GatherWindow = TimeSpan.FromMicroseconds(300);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Channel<PendingAppend> _queue = Channel.CreateUnbounded<PendingAppend>(new UnboundedChannelOptions { SingleReader = true });
    private Task? _commitLoop;
    private int _queued;
    private readonly EntryPreparer _preparer = new(database.Options.MaxJsonBytes);
    private DbConnection? _connection;
    private EntryInserter? _inserter;
    private volatile bool _shutDown;
    private bool _closed;
    private long _chainedInTransaction;

    public async Task<AuditEntry> AppendAsync(AuditEntryDraft draft, CancellationToken cancellationToken = default) =>
        (await AppendBatchAsync([draft], cancellationToken))[0];

    /// <summary>Appends all drafts in one transaction, or none of them.</summary>
    public async Task<IReadOnlyList<AuditEntry>> AppendBatchAsync(
        IReadOnlyList<AuditEntryDraft> drafts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(drafts);
        if (drafts.Count == 0) throw new AuditValidationException("entries", "the batch is empty");
        ThrowIfShutDown();
        var prepared = new PreparedEntry[drafts.Count];
        for (var i = 0; i < drafts.Count; i++) prepared[i] = Prepare(drafts[i], i, drafts.Count > 1);
        await database.EnsureInitializedAsync(cancellationToken);
        var pending = new PendingAppend(prepared);
        EnsureCommitLoop();
        // Once queued, the append is no longer cancellable: it may already be in the transaction being written.
        Interlocked.Increment(ref _queued);
        if (!_queue.Writer.TryWrite(pending))
        {
            Interlocked.Decrement(ref _queued);
            throw ShutDownException();
        }
        return await pending.Completion.Task;
    }

    /// <summary>
    /// Group commit: one loop writes whatever has queued up while the previous commit was being made durable, so
    /// many concurrent appends share one transaction and one fsync.
    /// </summary>
    private void EnsureCommitLoop()
    {
        if (_commitLoop is not null) return;
        lock (_queue)
        {
            _commitLoop ??= Task.Run(CommitLoopAsync);
        }
    }

    private async Task CommitLoopAsync()
    {
        var lastGroup = 0;
        while (await _queue.Reader.WaitToReadAsync())
        {
            await GatherAsync(lastGroup);
            await _gate.WaitAsync();
            try
            {
                lastGroup = await WriteQueuedAsync();
            }
            finally
            {
                _gate.Release();
            }
        }
    }

    /// <summary>
    /// The callers released by the last commit come back within microseconds with their next append; waiting briefly
    /// for them (at most <see cref="GatherWindow"/>) lets them share the next commit instead of trickling into several.
    /// A lone caller never waits: with a last group of one there is nobody to wait for.
    /// </summary>
    private async Task GatherAsync(int lastGroup)
    {
        if (lastGroup <= 1) return;
        var deadline = Stopwatch.GetTimestamp() + (long)(GatherWindow.TotalSeconds * Stopwatch.Frequency);
        while (Volatile.Read(ref _queued) < lastGroup && Stopwatch.GetTimestamp() < deadline) await Task.Yield();
    }

    /// <summary>
    /// Appends a stream of drafts in a single transaction without holding them in memory; any bad draft rolls back
    /// everything. Drafts are validated and their data hashed on one core while the other chains and inserts them.
    /// Returns how many were appended.
    /// </summary>
    public async Task<long> AppendStreamAsync(
        IAsyncEnumerable<AuditEntryDraft> drafts, CancellationToken cancellationToken = default)
    {
        ThrowIfShutDown();
        await database.EnsureInitializedAsync(cancellationToken);
        var chunks = Channel.CreateBounded<PreparedEntry[]>(new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(() => PrepareStreamAsync(drafts, chunks.Writer, stop.Token), CancellationToken.None);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await WriteTransactionAsync(async (_, _, inserter, head) =>
            {
                long count = 0;
                await foreach (var chunk in chunks.Reader.ReadAllAsync(cancellationToken))
                {
                    foreach (var prepared in chunk) head = Chain(prepared, head, inserter).Head;
                    count += chunk.Length;
                }
                if (count == 0) throw new AuditValidationException("entries", "the batch is empty");
                return count;
            }, cancellationToken);
        }
        finally
        {
            _gate.Release();
            await stop.CancelAsync();
            await producer;
        }
    }

    /// <summary>
    /// Appends one entry whose action the ledger reserves (<see cref="LedgerVocabulary.ReservedActions"/>), such as the
    /// record of a delivered export. For the console's own records only; a ROLLBACK is written by the rollback alone.
    /// </summary>
    public Task<AuditEntry> AppendReservedAsync(AuditEntryDraft draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        if (draft.Action is LedgerVocabulary.RollbackAction or LedgerVocabulary.ErasureAction)
            throw new InvalidOperationException($"a {draft.Action} entry is written by its own service only");
        return AppendInternalAsync((_, _, _, _) => Task.FromResult(draft), cancellationToken);
    }

    /// <summary>
    /// Appends one ledger-internal entry (e.g. ROLLBACK) that <paramref name="build"/> makes from the head inside the
    /// write transaction; nothing is written if it throws. <paramref name="afterInsert"/>, when given, runs in the same
    /// transaction once the entry is in the table (an erasure blanks data only after its ERASURE entry exists).
    /// </summary>
    internal async Task<AuditEntry> AppendInternalAsync(
        Func<ChainHead, DbConnection, DbTransaction, CancellationToken, Task<AuditEntryDraft>> build,
        CancellationToken cancellationToken,
        Func<AuditEntry, DbConnection, DbTransaction, CancellationToken, Task>? afterInsert = null)
    {
        ThrowIfShutDown();
        await database.EnsureInitializedAsync(cancellationToken);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await WriteTransactionAsync(async (connection, transaction, inserter, head) =>
            {
                var draft = await build(head, connection, transaction, cancellationToken);
                var entry = Chain(_preparer.Prepare(draft, allowReserved: true), head, inserter).Entry;
                if (afterInsert is not null)
                {
                    inserter.Flush();
                    await afterInsert(entry, connection, transaction, cancellationToken);
                }
                return entry;
            }, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _shutDown = true;
        _queue.Writer.TryComplete();
        if (_commitLoop is not null) await _commitLoop;
        await _gate.WaitAsync();
        try
        {
            _closed = true;
            await ResetConnectionAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>After shutdown nothing may open the writer's connection again, and nobody may wait for a commit loop that has ended.</summary>
    private static AuditOperationException ShutDownException() =>
        new("the ledger is shutting down: the entry was not appended");

    private void ThrowIfShutDown()
    {
        if (_shutDown) throw ShutDownException();
    }

    private PreparedEntry Prepare(AuditEntryDraft draft, long index, bool inBatch)
    {
        try
        {
            return _preparer.Prepare(draft);
        }
        catch (AuditValidationException ex) when (inBatch)
        {
            throw new AuditValidationException($"entries[{index}].{ex.Field}", ex.Problem);
        }
    }

    private async Task PrepareStreamAsync(
        IAsyncEnumerable<AuditEntryDraft> drafts, ChannelWriter<PreparedEntry[]> output, CancellationToken ct)
    {
        try
        {
            var chunk = new List<PreparedEntry>(StreamChunk);
            long index = 0;
            await foreach (var draft in drafts.WithCancellation(ct))
            {
                chunk.Add(Prepare(draft, index++, inBatch: true));
                if (chunk.Count < StreamChunk) continue;
                await output.WriteAsync([.. chunk], ct);
                chunk.Clear();
            }
            if (chunk.Count > 0) await output.WriteAsync([.. chunk], ct);
            output.Complete();
        }
        catch (Exception ex)
        {
            output.TryComplete(ex);
        }
    }

    private async Task<int> WriteQueuedAsync()
    {
        var group = new List<PendingAppend>();
        var count = 0;
        while (count < database.Options.MaxGroupCommitEntries && _queue.Reader.TryRead(out var next))
        {
            Interlocked.Decrement(ref _queued);
            group.Add(next);
            count += next.Entries.Length;
        }
        try
        {
            var results = await WriteTransactionAsync((_, _, inserter, head) =>
            {
                var written = new List<AuditEntry[]>(group.Count);
                foreach (var pending in group)
                {
                    var entries = new AuditEntry[pending.Entries.Length];
                    for (var i = 0; i < entries.Length; i++) (entries[i], head) = Chain(pending.Entries[i], head, inserter);
                    written.Add(entries);
                }
                return Task.FromResult(written);
            }, CancellationToken.None);
            for (var i = 0; i < group.Count; i++) group[i].Completion.TrySetResult(results[i]);
        }
        catch (Exception ex)
        {
            foreach (var pending in group) pending.Completion.TrySetException(ex);
        }
        return group.Count;
    }

    /// <summary>
    /// Runs <paramref name="write"/> in one write transaction on the writer's connection, with the chain locked against
    /// other writers and its head read (one round trip on a server); call under the gate.
    /// </summary>
    private async Task<T> WriteTransactionAsync<T>(
        Func<DbConnection, DbTransaction, EntryInserter, ChainHead, Task<T>> write, CancellationToken ct)
    {
        // Appends queued before shutdown are still written (the commit loop drains them); nothing after it.
        if (_closed) throw ShutDownException();
        if (_connection is null)
        {
            _connection = await database.OpenConnectionAsync(ct);
            _inserter = new EntryInserter(_connection);
        }
        var timeout = database.Options.LockTimeoutSeconds;
        try
        {
            await using var sessionLock = await ChainSessionLock.TakeAsync(_connection, timeout, ct);
            await using var transaction = await _connection.BeginTransactionAsync(ct);
            var head = await ChainRows.LockedHeadAsync(_connection, transaction, timeout, ct);
            _inserter!.Transaction = transaction;
            _chainedInTransaction = 0;
            T result;
            try
            {
                result = await write(_connection, transaction, _inserter, head);
                _inserter.Flush();
            }
            catch
            {
                _inserter.Discard();
                throw;
            }
            await transaction.CommitAsync(ct);
            metrics?.Appended(_chainedInTransaction);
            return result;
        }
        catch (Exception ex) when (ex is not AuditValidationException and not AuditOperationException)
        {
            // The connection may be unusable (disk full, I/O error); the next write opens a fresh one.
            await ResetConnectionAsync();
            throw;
        }
    }

    private async Task ResetConnectionAsync()
    {
        _inserter?.Dispose();
        _inserter = null;
        if (_connection is not null) await _connection.DisposeAsync();
        _connection = null;
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
        _chainedInTransaction++;
        return (entry, new ChainHead(entry.Sequence, entry.EntryHash, entry.Timestamp));
    }

    private sealed record PendingAppend(PreparedEntry[] Entries)
    {
        public TaskCompletionSource<AuditEntry[]> Completion { get; } =
            new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
