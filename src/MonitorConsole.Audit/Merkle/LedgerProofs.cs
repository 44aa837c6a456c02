using System.Data.Common;
using MonitorConsole.Audit.Storage;

namespace MonitorConsole.Audit.Merkle;

public sealed record InclusionProof(long Sequence, long TreeSize, long LeafIndex, string LeafHash, IReadOnlyList<string> AuditPath, string MerkleRoot);

public sealed record ConsistencyProof(long OldSize, long NewSize, string OldRoot, string NewRoot, IReadOnlyList<string> Proof);

/// <summary>
/// Merkle roots and proofs over the ledger as stored: leaf i is the entry with sequence i + 1. Each answer is one
/// streaming pass over the entry hashes in a read transaction (O(log n) memory), so it is consistent even while
/// others append.
/// </summary>
public sealed class LedgerProofs(AuditDatabase database)
{
    /// <summary>The chain head (size and newest entry hash) and the root over all entries, from one snapshot.</summary>
    public async Task<(long Size, string EntryHash, byte[] Root)> HeadAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = await AuditDatabase.BeginReadTransactionAsync(connection, ct);
        var (size, hash) = await HeadAsync(connection, transaction, ct);
        var hasher = new SubtreeHasher([], size);
        await FeedAsync(connection, transaction, hasher, ct);
        return (size, hash, hasher.Root());
    }

    /// <summary>
    /// From one snapshot and one pass over the first <paramref name="treeSize"/> entries: the chain's size, and (when the
    /// chain is that long) the root of those entries and the hash of the last of them — what a checkpoint is checked
    /// against.
    /// </summary>
    public async Task<(long ChainSize, byte[]? Root, string? LastEntryHash)> PrefixAsync(long treeSize, CancellationToken ct = default)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = await AuditDatabase.BeginReadTransactionAsync(connection, ct);
        var (size, _) = await HeadAsync(connection, transaction, ct);
        if (size < treeSize) return (size, null, null);
        if (treeSize == 0) return (size, MerkleTree.EmptyRoot(), Chain.HashSpec.GenesisHash);
        var hasher = new SubtreeHasher([], treeSize);
        await FeedAsync(connection, transaction, hasher, ct);
        var last = await LastHashAsync(connection, transaction, treeSize, ct);
        return (size, hasher.Root(), last);
    }

    private static async Task<string?> LastHashAsync(DbConnection connection, DbTransaction transaction, long sequence, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT entry_hash FROM {AuditSchema.Table} WHERE sequence = {sequence}";
        return await command.ExecuteScalarAsync(ct) as string;
    }

    public async Task<byte[]> RootAsync(long treeSize, CancellationToken ct = default)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = await AuditDatabase.BeginReadTransactionAsync(connection, ct);
        var (size, _) = await HeadAsync(connection, transaction, ct);
        if (treeSize < 0 || treeSize > size) throw new AuditValidationException("tree_size", $"must be between 0 and the chain's {size} entries");
        var hasher = new SubtreeHasher([], treeSize);
        await FeedAsync(connection, transaction, hasher, ct);
        return hasher.Root();
    }

    /// <summary>The proof that entry <paramref name="sequence"/> is in the tree of the first <paramref name="treeSize"/> entries (default: all).</summary>
    public async Task<InclusionProof> InclusionAsync(long sequence, long? treeSize = null, CancellationToken ct = default)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = await AuditDatabase.BeginReadTransactionAsync(connection, ct);
        var (size, _) = await HeadAsync(connection, transaction, ct);
        var n = treeSize ?? size;
        if (n < 1 || n > size) throw new AuditValidationException("tree_size", $"must be between 1 and the chain's {size} entries");
        if (sequence < 1 || sequence > n) throw new AuditValidationException("sequence", $"must be between 1 and the tree size {n}");
        var ranges = MerkleTree.InclusionRanges(sequence - 1, n);
        var hasher = new SubtreeHasher(ranges, n);
        byte[]? leaf = null;
        await FeedAsync(connection, transaction, hasher, ct, (index, hash) => { if (index == sequence - 1) leaf = hash; });
        return new InclusionProof(sequence, n, sequence - 1, Hex(leaf!), ranges.Select(r => Hex(hasher.HashOf(r))).ToList(), Hex(hasher.Root()));
    }

    public async Task<ConsistencyProof> ConsistencyAsync(long oldSize, long? newSize = null, CancellationToken ct = default)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = await AuditDatabase.BeginReadTransactionAsync(connection, ct);
        var (size, _) = await HeadAsync(connection, transaction, ct);
        var n = newSize ?? size;
        if (n < 1 || n > size) throw new AuditValidationException("to", $"must be between 1 and the chain's {size} entries");
        if (oldSize < 1 || oldSize > n) throw new AuditValidationException("from", $"must be between 1 and {n}");
        var ranges = MerkleTree.ConsistencyRanges(oldSize, n);
        var hasher = new SubtreeHasher(ranges, n);
        var old = new SubtreeHasher([], oldSize);
        await FeedAsync(connection, transaction, hasher, ct, (index, hash) => { if (index < oldSize) old.Add(hash); });
        return new ConsistencyProof(oldSize, n, Hex(old.Root()), Hex(hasher.Root()), ranges.Select(r => Hex(hasher.HashOf(r))).ToList());
    }

    internal static async Task<(long Size, string EntryHash)> HeadAsync(DbConnection connection, DbTransaction transaction, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT sequence, entry_hash FROM {AuditSchema.Table} ORDER BY sequence DESC LIMIT 1";
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? (reader.GetInt64(0), reader.GetString(1)) : (0, Chain.HashSpec.GenesisHash);
    }

    /// <summary>Feeds the leaf hashes of the entries the hasher needs, in sequence order; a gap in the sequence is refused.</summary>
    private static async Task FeedAsync(DbConnection connection, DbTransaction transaction, SubtreeHasher hasher, CancellationToken ct,
        Action<long, byte[]>? each = null)
    {
        if (hasher.LeavesNeeded == 0) return;
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT sequence, entry_hash FROM {AuditSchema.Table} WHERE sequence <= @last ORDER BY sequence";
        var last = command.CreateParameter();
        last.ParameterName = "@last";
        last.Value = hasher.LeavesNeeded;
        command.Parameters.Add(last);
        await using var reader = await command.ExecuteReaderAsync(ct);
        long index = 0;
        var entryHash = new byte[MerkleTree.HashSize];
        while (await reader.ReadAsync(ct))
        {
            if (reader.GetInt64(0) != index + 1)
                throw new AuditOperationException($"the chain has a gap before sequence {reader.GetInt64(0)}; verify it before asking for proofs");
            if (Convert.FromHexString(reader.GetString(1), entryHash, out _, out _) != System.Buffers.OperationStatus.Done)
                throw new AuditOperationException($"entry {index + 1} has a malformed entry_hash; verify the chain");
            var leaf = MerkleTree.LeafHash(entryHash);
            each?.Invoke(index, leaf);
            hasher.Add(leaf);
            index++;
        }
    }

    private static string Hex(byte[] hash) => Convert.ToHexStringLower(hash);
}
