using System.Data.Common;
using MonitorConsole.Audit.Storage;

namespace MonitorConsole.Audit.Merkle;

public sealed record InclusionProof(long Sequence, long TreeSize, long LeafIndex, string LeafHash, IReadOnlyList<string> AuditPath, string MerkleRoot);

public sealed record ConsistencyProof(long OldSize, long NewSize, string OldRoot, string NewRoot, IReadOnlyList<string> Proof);

/// <summary>
/// Merkle roots and proofs over the ledger as stored: leaf i is the entry with sequence i + 1. Each answer comes from
/// one read transaction, so it is consistent even while others append. Proofs and roots use the cached hashes of
/// complete blocks (<see cref="MerkleBlockCache"/>): after the first pass they read at most a few blocks of leaves.
/// A checkpoint is made and checked from a full pass over the entries, never from the cache: it attests to, and is
/// compared with, what the database holds now.
/// </summary>
public sealed class LedgerProofs(AuditDatabase database)
{
    private readonly MerkleBlockCache _cache = new();

    /// <summary>How many complete blocks of leaves have their hash cached.</summary>
    public int CachedBlocks => _cache.CachedBlocks;

    /// <summary>The chain head (size and newest entry hash) and the root over all entries, from one snapshot and a full pass.</summary>
    public async Task<(long Size, string EntryHash, byte[] Root)> HeadAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = await AuditDatabase.BeginReadTransactionAsync(connection, ct);
        var (size, hash) = await HeadAsync(connection, transaction, ct);
        var blocks = new List<byte[]>();
        string? blockEnd = null;
        var hasher = new SubtreeHasher([], size, blocks.Add);
        await LedgerLeaves.ReadAsync(connection, transaction, 0, size, (index, entryHash, leaf) =>
        {
            hasher.Add(leaf);
            if ((index + 1) % MerkleBlockCache.BlockLeaves == 0) blockEnd = entryHash;
        }, ct);
        _cache.Offer(blocks, blockEnd);
        return (size, hash, hasher.Root());
    }

    /// <summary>
    /// From one snapshot and one full pass over the first <paramref name="treeSize"/> entries: the chain's size, and
    /// (when the chain is that long) the root of those entries and the hash of the last of them — what a checkpoint is
    /// checked against — and how many rows lie outside the chain (which no checkpoint covers).
    /// </summary>
    public async Task<(long ChainSize, byte[]? Root, string? LastEntryHash, long RowsOutside)> PrefixAsync(long treeSize, CancellationToken ct = default)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = await AuditDatabase.BeginReadTransactionAsync(connection, ct);
        var (outside, _) = await ChainRows.OutsideAsync(connection, transaction, 0, ct);
        var size = (await ChainRows.HeadAsync(connection, transaction, ct)).Sequence;
        if (size < treeSize) return (size, null, null, outside);
        if (treeSize == 0) return (size, MerkleTree.EmptyRoot(), HashSpec.GenesisHash, outside);
        var hasher = new SubtreeHasher([], treeSize);
        string? last = null;
        await LedgerLeaves.ReadAsync(connection, transaction, 0, treeSize, (_, entryHash, leaf) => { hasher.Add(leaf); last = entryHash; }, ct);
        return (size, hasher.Root(), last, outside);
    }

    public Task<byte[]> RootAsync(long treeSize, CancellationToken ct = default) =>
        WithTreeAsync(size => treeSize >= 0 && treeSize <= size ? treeSize
                : throw new AuditValidationException("tree_size", $"must be between 0 and the chain's {size} entries"),
            tree => tree.RootAsync(ct), ct);

    /// <summary>Fills the block cache up to the chain's head (what a first proof would otherwise do).</summary>
    public Task WarmAsync(CancellationToken ct = default) => WithTreeAsync(size => size, _ => Task.FromResult(true), ct);

    /// <summary>The proof that entry <paramref name="sequence"/> is in the tree of the first <paramref name="treeSize"/> entries (default: all).</summary>
    public Task<InclusionProof> InclusionAsync(long sequence, long? treeSize = null, CancellationToken ct = default) =>
        WithTreeAsync(size =>
        {
            var n = treeSize ?? size;
            if (n < 1 || n > size) throw new AuditValidationException("tree_size", $"must be between 1 and the chain's {size} entries");
            if (sequence < 1 || sequence > n) throw new AuditValidationException("sequence", $"must be between 1 and the tree size {n}");
            return n;
        }, tree => ProveAsync(tree, sequence, ct), ct);

    /// <summary>
    /// Proofs for many entries of the tree of the first <paramref name="treeSize"/> entries, from one snapshot, in the
    /// order given (which must be increasing): an evidence pack's proofs. Hashes the proofs share are worked out once,
    /// and memory stays flat however many entries there are.
    /// </summary>
    public async IAsyncEnumerable<InclusionProof> InclusionsAsync(
        IAsyncEnumerable<long> sequences, long treeSize, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = await AuditDatabase.BeginReadTransactionAsync(connection, ct);
        var (size, _) = await HeadAsync(connection, transaction, ct);
        if (treeSize < 1 || treeSize > size) throw new AuditValidationException("tree_size", $"must be between 1 and the chain's {size} entries");
        var tree = await SnapshotTree.OpenAsync(_cache, connection, transaction, treeSize, ct);
        long previous = 0;
        await foreach (var sequence in sequences.WithCancellation(ct))
        {
            if (sequence <= previous || sequence > treeSize)
                throw new AuditValidationException("sequence", $"{sequence} must follow {previous} and be at most the tree size {treeSize}");
            tree.ForgetBefore((sequence - 1) / MerkleBlockCache.BlockLeaves);
            previous = sequence;
            yield return await ProveAsync(tree, sequence, ct);
        }
    }

    private static async Task<InclusionProof> ProveAsync(SnapshotTree tree, long sequence, CancellationToken ct)
    {
        var leaf = await tree.HashAsync(new LeafRange(sequence - 1, sequence), ct);
        var path = await tree.HashesAsync(MerkleTree.InclusionRanges(sequence - 1, tree.Size), ct);
        // The root follows from the leaf and its path; hashing the whole tree again would repeat the path's work.
        var root = MerkleTree.RootFromInclusion(sequence - 1, tree.Size, leaf, path)!;
        return new InclusionProof(sequence, tree.Size, sequence - 1, Hex(leaf), path.Select(Hex).ToList(), Hex(root));
    }

    public Task<ConsistencyProof> ConsistencyAsync(long oldSize, long? newSize = null, CancellationToken ct = default) =>
        WithTreeAsync(size =>
        {
            var n = newSize ?? size;
            if (n < 1 || n > size) throw new AuditValidationException("to", $"must be between 1 and the chain's {size} entries");
            if (oldSize < 1 || oldSize > n) throw new AuditValidationException("from", $"must be between 1 and {n}");
            return n;
        }, async tree =>
        {
            var proof = await tree.HashesAsync(MerkleTree.ConsistencyRanges(oldSize, tree.Size), ct);
            var oldRoot = await tree.HashAsync(new LeafRange(0, oldSize), ct);
            return new ConsistencyProof(oldSize, tree.Size, Hex(oldRoot), Hex(await tree.RootAsync(ct)), proof.Select(Hex).ToList());
        }, ct);

    /// <summary>One read snapshot: <paramref name="treeSizeFor"/> picks (and checks) the tree size from the chain's size.</summary>
    private async Task<T> WithTreeAsync<T>(Func<long, long> treeSizeFor, Func<SnapshotTree, Task<T>> use, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = await AuditDatabase.BeginReadTransactionAsync(connection, ct);
        var (size, _) = await HeadAsync(connection, transaction, ct);
        return await use(await SnapshotTree.OpenAsync(_cache, connection, transaction, treeSizeFor(size), ct));
    }

    /// <summary>
    /// The chain's size and newest hash. Proofs and checkpoints cover sequences 1..head; a row planted outside that
    /// range would be in the table but in no proof, so they refuse to answer until verification has been looked at.
    /// </summary>
    internal static async Task<(long Size, string EntryHash)> HeadAsync(DbConnection connection, DbTransaction transaction, CancellationToken ct)
    {
        var (outside, rows) = await ChainRows.OutsideAsync(connection, transaction, 1, ct);
        if (outside > 0)
            throw new AuditOperationException(
                $"{outside} row(s) of the ledger table lie outside the chain (sequence {rows[0].Sequence}, entry_id {rows[0].EntryId}): " +
                "no proof or checkpoint covers them; verify the chain to see what was planted");
        var head = await ChainRows.HeadAsync(connection, transaction, ct);
        return (head.Sequence, head.EntryHash);
    }

    private static string Hex(byte[] hash) => Convert.ToHexStringLower(hash);
}
