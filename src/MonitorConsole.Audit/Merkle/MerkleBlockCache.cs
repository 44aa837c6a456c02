using System.Data.Common;

namespace MonitorConsole.Audit.Merkle;

/// <summary>
/// The hashes of the ledger's complete, aligned blocks of <see cref="BlockLeaves"/> leaves, kept in memory once
/// computed (32 bytes per block: 160 KiB at 10,000,000 entries). RFC 9162 splits every tree at powers of two, so each
/// such block is a subtree of every tree that contains it, and the chain only grows, so its hash never changes. With
/// them, a root or a proof reads at most a couple of blocks of leaves instead of the whole chain.
/// </summary>
public sealed class MerkleBlockCache
{
    public const int BlockLeaves = 2048;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<byte[]> _blocks = [];
    private string? _lastEntryHash;

    public int CachedBlocks
    {
        get { lock (_blocks) return _blocks.Count; }
    }

    /// <summary>
    /// The hashes of blocks 0 … <paramref name="count"/> − 1, computing missing ones from the caller's snapshot. The
    /// cache is dropped first when the entry that ends its last block is gone or has another hash (a restored or
    /// replaced database): each entry hash covers the one before it, so the same hash there means the same prefix.
    /// </summary>
    internal async Task<byte[][]> BlocksAsync(DbConnection connection, DbTransaction transaction, long count, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (CachedBlocks > 0 &&
                await LedgerLeaves.EntryHashAsync(connection, transaction, (long)CachedBlocks * BlockLeaves, ct) != _lastEntryHash)
                Replace([], null);
            if (CachedBlocks < count) await FillAsync(connection, transaction, count, ct);
            lock (_blocks) return _blocks.Take((int)count).ToArray();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Takes the blocks a full pass over the chain computed anyway (a checkpoint), when they cover more than the cache.</summary>
    internal void Offer(IReadOnlyList<byte[]> blocks, string? lastEntryHash)
    {
        if (blocks.Count == 0 || lastEntryHash is null || !_gate.Wait(0)) return;
        try
        {
            if (blocks.Count > CachedBlocks) Replace(blocks, lastEntryHash);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task FillAsync(DbConnection connection, DbTransaction transaction, long count, CancellationToken ct)
    {
        var computed = new List<byte[]>();
        string? last = null;
        SubtreeHasher? block = null;
        await LedgerLeaves.ReadAsync(connection, transaction, (long)CachedBlocks * BlockLeaves, count * BlockLeaves, (index, entryHash, leaf) =>
        {
            block ??= new SubtreeHasher([], BlockLeaves);
            block.Add(leaf);
            if ((index + 1) % BlockLeaves != 0) return;
            computed.Add(block.Root());
            last = entryHash;
            block = null;
        }, ct);
        lock (_blocks) _blocks.AddRange(computed);
        _lastEntryHash = last;
    }

    private void Replace(IEnumerable<byte[]> blocks, string? lastEntryHash)
    {
        lock (_blocks)
        {
            _blocks.Clear();
            _blocks.AddRange(blocks);
        }
        _lastEntryHash = lastEntryHash;
    }
}
