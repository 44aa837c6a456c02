using System.Data.Common;

namespace MonitorConsole.Audit.Merkle;

/// <summary>
/// The tree of the first <c>size</c> leaves of one read snapshot: subtrees of whole blocks come from the cached block
/// hashes, anything smaller from the leaves of the block it lies in, read once per request.
/// </summary>
internal sealed class SnapshotTree
{
    private const int B = MerkleBlockCache.BlockLeaves;
    private readonly DbConnection _connection;
    private readonly DbTransaction _transaction;
    private readonly byte[][] _blocks;
    private readonly Dictionary<long, List<byte[]>> _leavesByBlock = [];

    // Many proofs from one snapshot (an evidence pack) share most of their hashes: every piece inside a block and
    // every merge of whole blocks is worked out once. Pieces are dropped with their block's leaves (ForgetBefore).
    private readonly Dictionary<(long Start, long Size), byte[]> _pieces = [];
    private readonly Dictionary<(int First, int Count), byte[]> _merged = [];
    private long _forgottenBefore;

    private SnapshotTree(DbConnection connection, DbTransaction transaction, long size, byte[][] blocks) =>
        (_connection, _transaction, Size, _blocks) = (connection, transaction, size, blocks);

    public long Size { get; }

    public static async Task<SnapshotTree> OpenAsync(MerkleBlockCache cache, DbConnection connection, DbTransaction transaction, long size, CancellationToken ct) =>
        new(connection, transaction, size, await cache.BlocksAsync(connection, transaction, size / B, ct));

    public Task<byte[]> RootAsync(CancellationToken ct) =>
        Size == 0 ? Task.FromResult(MerkleTree.EmptyRoot()) : HashAsync(new LeafRange(0, Size), ct);

    /// <summary>RFC 9162's hash of a range: its power-of-two pieces, largest first, merged right to left.</summary>
    public async Task<byte[]> HashAsync(LeafRange range, CancellationToken ct)
    {
        if (range.Start < 0 || range.End > Size || range.Size < 1) throw new ArgumentOutOfRangeException(nameof(range), $"{range} is not in a tree of {Size}");
        var pieces = new List<byte[]>();
        for (var start = range.Start; start < range.End;)
        {
            var size = 1L << (63 - System.Numerics.BitOperations.LeadingZeroCount((ulong)(range.End - start)));
            pieces.Add(await PieceAsync(start, size, ct));
            start += size;
        }
        var hash = pieces[^1];
        for (var i = pieces.Count - 2; i >= 0; i--) hash = MerkleTree.NodeHash(pieces[i], hash);
        return hash;
    }

    public async Task<IReadOnlyList<byte[]>> HashesAsync(IReadOnlyList<LeafRange> ranges, CancellationToken ct)
    {
        var hashes = new List<byte[]>(ranges.Count);
        foreach (var range in ranges) hashes.Add(await HashAsync(range, ct));
        return hashes;
    }

    private async Task<byte[]> PieceAsync(long start, long size, CancellationToken ct)
    {
        if (size >= B && start % B == 0) return MergeBlocks((int)(start / B), (int)(size / B));
        if (_pieces.TryGetValue((start, size), out var known)) return known;
        var leaves = await LeavesOfBlockAsync(start / B, ct);
        var offset = (int)(start % B);
        byte[] hash;
        // Tree ranges are aligned, so a piece smaller than a block lies inside one; anything else is hashed from its leaves.
        if (offset + size > leaves.Count)
        {
            hash = await HashLeavesAsync(start, size, ct);
        }
        else
        {
            var hasher = new SubtreeHasher([], size);
            for (var i = offset; i < offset + size; i++) hasher.Add(leaves[i]);
            hash = hasher.Root();
        }
        return _pieces[(start, size)] = hash;
    }

    private byte[] MergeBlocks(int first, int count)
    {
        if (_merged.TryGetValue((first, count), out var known)) return known;
        var level = _blocks.AsSpan(first, count).ToArray();
        for (var width = count; width > 1; width /= 2)
            for (var i = 0; i < width / 2; i++) level[i] = MerkleTree.NodeHash(level[2 * i], level[2 * i + 1]);
        return _merged[(first, count)] = level[0];
    }

    /// <summary>
    /// Drops the leaves and piece hashes of the blocks before <paramref name="block"/> (but not of the tree's last,
    /// partial block, which every proof's right edge uses), so proofs in sequence order keep memory flat.
    /// </summary>
    public void ForgetBefore(long block)
    {
        if (block <= _forgottenBefore) return;
        _forgottenBefore = block;
        var tail = (Size - 1) / B;
        foreach (var old in _leavesByBlock.Keys.Where(b => b < block && b != tail).ToList()) _leavesByBlock.Remove(old);
        foreach (var old in _pieces.Keys.Where(p => p.Start / B < block && p.Start / B != tail).ToList()) _pieces.Remove(old);
    }

    private async Task<List<byte[]>> LeavesOfBlockAsync(long block, CancellationToken ct)
    {
        if (_leavesByBlock.TryGetValue(block, out var cached)) return cached;
        var leaves = new List<byte[]>(B);
        await LedgerLeaves.ReadAsync(_connection, _transaction, block * B, Math.Min((block + 1) * B, Size), (_, _, leaf) => leaves.Add(leaf), ct);
        _leavesByBlock[block] = leaves;
        return leaves;
    }

    private async Task<byte[]> HashLeavesAsync(long start, long size, CancellationToken ct)
    {
        var hasher = new SubtreeHasher([], size);
        await LedgerLeaves.ReadAsync(_connection, _transaction, start, start + size, (_, _, leaf) => hasher.Add(leaf), ct);
        return hasher.Root();
    }
}
