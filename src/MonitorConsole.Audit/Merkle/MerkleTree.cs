using System.Numerics;
using System.Security.Cryptography;

namespace MonitorConsole.Audit.Merkle;

/// <summary>A half-open range of leaves [Start, End) whose subtree hash a proof needs.</summary>
public readonly record struct LeafRange(long Start, long End)
{
    public long Size => End - Start;
}

/// <summary>
/// The Merkle tree of RFC 9162 (Certificate Transparency 2.0, §2.1) over the ledger's entries in sequence order:
/// leaf = SHA-256(0x00 ‖ entry hash bytes), node = SHA-256(0x01 ‖ left ‖ right), the tree of n leaves split at the
/// largest power of two below n. Proofs are lists of subtree hashes; which subtrees is pure arithmetic on the leaf
/// index and tree sizes, so the hashes can be computed in one streaming pass over the entries.
/// </summary>
public static class MerkleTree
{
    public const int HashSize = 32;

    /// <summary>The root of the empty tree: SHA-256 of nothing.</summary>
    public static byte[] EmptyRoot() => SHA256.HashData([]);

    public static byte[] LeafHash(ReadOnlySpan<byte> entryHash)
    {
        Span<byte> input = stackalloc byte[1 + HashSize];
        input[0] = 0x00;
        entryHash.CopyTo(input[1..]);
        return SHA256.HashData(input);
    }

    public static byte[] LeafHash(string entryHashHex) => LeafHash(Convert.FromHexString(entryHashHex));

    public static byte[] NodeHash(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        Span<byte> input = stackalloc byte[1 + 2 * HashSize];
        input[0] = 0x01;
        left.CopyTo(input[1..]);
        right.CopyTo(input[(1 + HashSize)..]);
        return SHA256.HashData(input);
    }

    /// <summary>The largest power of two smaller than n (n ≥ 2).</summary>
    public static long Split(long n) => 1L << (63 - BitOperations.LeadingZeroCount((ulong)(n - 1)));

    /// <summary>The subtrees whose hashes make the inclusion proof of leaf <paramref name="index"/> in a tree of <paramref name="size"/> leaves, leaf side first.</summary>
    public static IReadOnlyList<LeafRange> InclusionRanges(long index, long size)
    {
        if (size < 1 || index < 0 || index >= size) throw new ArgumentOutOfRangeException(nameof(index), $"leaf {index} is not in a tree of {size}");
        var ranges = new List<LeafRange>();
        Path(index, 0, size, ranges);
        return ranges;
    }

    private static void Path(long m, long start, long end, List<LeafRange> into)
    {
        var n = end - start;
        if (n == 1) return;
        var k = Split(n);
        if (m < k)
        {
            Path(m, start, start + k, into);
            into.Add(new LeafRange(start + k, end));
        }
        else
        {
            Path(m - k, start + k, end, into);
            into.Add(new LeafRange(start, start + k));
        }
    }

    /// <summary>The subtrees whose hashes make the consistency proof from a tree of <paramref name="oldSize"/> leaves to one of <paramref name="newSize"/>.</summary>
    public static IReadOnlyList<LeafRange> ConsistencyRanges(long oldSize, long newSize)
    {
        if (oldSize < 1 || oldSize > newSize) throw new ArgumentOutOfRangeException(nameof(oldSize), $"no consistency proof from {oldSize} to {newSize}");
        var ranges = new List<LeafRange>();
        if (oldSize < newSize) SubProof(oldSize, 0, newSize, true, ranges);
        return ranges;
    }

    private static void SubProof(long m, long start, long end, bool complete, List<LeafRange> into)
    {
        var n = end - start;
        if (m == n)
        {
            if (!complete) into.Add(new LeafRange(start, end));
            return;
        }
        var k = Split(n);
        if (m <= k)
        {
            SubProof(m, start, start + k, complete, into);
            into.Add(new LeafRange(start + k, end));
        }
        else
        {
            SubProof(m - k, start + k, end, false, into);
            into.Add(new LeafRange(start, start + k));
        }
    }

    /// <summary>Recomputes the root from a leaf and its inclusion proof (RFC 9162 §2.1.3.2); null when the proof does not fit the sizes.</summary>
    public static byte[]? RootFromInclusion(long index, long size, ReadOnlySpan<byte> leafHash, IReadOnlyList<byte[]> path)
    {
        if (index < 0 || index >= size) return null;
        long fn = index, sn = size - 1;
        var r = leafHash.ToArray();
        foreach (var p in path)
        {
            if (sn == 0) return null;
            if ((fn & 1) == 1 || fn == sn)
            {
                r = NodeHash(p, r);
                if ((fn & 1) == 0)
                    while ((fn & 1) == 0 && fn != 0) { fn >>= 1; sn >>= 1; }
            }
            else
            {
                r = NodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 ? r : null;
    }

    /// <summary>Checks a consistency proof between two roots (RFC 9162 §2.1.4.2).</summary>
    public static bool VerifyConsistency(long oldSize, long newSize, ReadOnlySpan<byte> oldRoot, ReadOnlySpan<byte> newRoot, IReadOnlyList<byte[]> proof)
    {
        if (oldSize < 1 || oldSize > newSize) return false;
        if (oldSize == newSize) return proof.Count == 0 && oldRoot.SequenceEqual(newRoot);
        var path = new List<byte[]>(proof);
        if ((oldSize & (oldSize - 1)) == 0) path.Insert(0, oldRoot.ToArray());
        if (path.Count == 0) return false;
        long fn = oldSize - 1, sn = newSize - 1;
        while ((fn & 1) == 1) { fn >>= 1; sn >>= 1; }
        byte[] fr = path[0], sr = path[0];
        foreach (var c in path.Skip(1))
        {
            if (sn == 0) return false;
            if ((fn & 1) == 1 || fn == sn)
            {
                fr = NodeHash(c, fr);
                sr = NodeHash(c, sr);
                if ((fn & 1) == 0)
                    while ((fn & 1) == 0 && fn != 0) { fn >>= 1; sn >>= 1; }
            }
            else
            {
                sr = NodeHash(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && fr.AsSpan().SequenceEqual(oldRoot) && sr.AsSpan().SequenceEqual(newRoot);
    }
}
