using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CsCheck;
using MonitorConsole.Audit.Merkle;

namespace MonitorConsole.Audit.Tests;

/// <summary>The tree, proofs and verification against vectors from an independent Python implementation of RFC 9162.</summary>
public sealed class MerkleTests
{
    private static readonly JsonElement Vectors = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "merkle-vectors.json"))).RootElement;

    private static byte[][] EntryHashes(int n) =>
        Enumerable.Range(1, n).Select(i => SHA256.HashData(Encoding.UTF8.GetBytes($"entry-{i}"))).ToArray();

    private static string Hex(byte[] b) => Convert.ToHexStringLower(b);

    private static (byte[] Root, List<byte[]> Proof) Compute(byte[][] entries, IReadOnlyList<LeafRange> ranges, long rootSize)
    {
        var hasher = new SubtreeHasher(ranges, rootSize);
        foreach (var e in entries.Take((int)hasher.LeavesNeeded)) hasher.Add(MerkleTree.LeafHash(e));
        return (hasher.Root(), ranges.Select(hasher.HashOf).ToList());
    }

    [Fact]
    public void Roots_MatchTheReferenceImplementation_ForEverySizeUpToSeven()
    {
        var entries = EntryHashes(7);
        Assert.Equal(Vectors.GetProperty("entry_hashes").EnumerateArray().Select(e => e.GetString()), entries.Select(Hex));
        for (var n = 0; n <= 7; n++)
            Assert.Equal(Vectors.GetProperty("roots").GetProperty(n.ToString(System.Globalization.CultureInfo.InvariantCulture)).GetString(), Hex(Compute(entries, [], n).Root));
    }

    [Theory]
    [InlineData(3, 7, "inclusion_3_of_7")]
    [InlineData(6, 7, "inclusion_6_of_7")]
    [InlineData(0, 1, "inclusion_0_of_1")]
    public void InclusionProofs_MatchTheReference_AndVerify(int index, int size, string vector)
    {
        var entries = EntryHashes(7);
        var (root, proof) = Compute(entries, MerkleTree.InclusionRanges(index, size), size);
        Assert.Equal(Vectors.GetProperty(vector).EnumerateArray().Select(e => e.GetString()), proof.Select(Hex));
        Assert.Equal(root, MerkleTree.RootFromInclusion(index, size, MerkleTree.LeafHash(entries[index]), proof));
    }

    [Theory]
    [InlineData(3, 7, "consistency_3_to_7")]
    [InlineData(4, 7, "consistency_4_to_7")]
    [InlineData(1, 2, "consistency_1_to_2")]
    public void ConsistencyProofs_MatchTheReference_AndVerify(int oldSize, int newSize, string vector)
    {
        var entries = EntryHashes(7);
        var (newRoot, proof) = Compute(entries, MerkleTree.ConsistencyRanges(oldSize, newSize), newSize);
        Assert.Equal(Vectors.GetProperty(vector).EnumerateArray().Select(e => e.GetString()), proof.Select(Hex));
        var oldRoot = Compute(entries, [], oldSize).Root;
        Assert.True(MerkleTree.VerifyConsistency(oldSize, newSize, oldRoot, newRoot, proof));
    }

    [Fact]
    public void EveryLeafOfEveryTree_ProvesItsInclusion_AndAnAlteredProofFails() =>
        Gen.Int[1, 300].Select(n => (n, Gen.Int[0, n - 1])).SelectMany((n, m) => m.Select(i => (n, i))).Sample((n, index) =>
        {
            var entries = EntryHashes(n);
            var (root, proof) = Compute(entries, MerkleTree.InclusionRanges(index, n), n);
            Assert.Equal(root, MerkleTree.RootFromInclusion(index, n, MerkleTree.LeafHash(entries[index]), proof));
            if (n > 1)
            {
                Assert.NotEqual(root, MerkleTree.RootFromInclusion((index + 1) % n, n, MerkleTree.LeafHash(entries[index]), proof));
                proof[0] = SHA256.HashData(proof[0]);
                Assert.NotEqual(root, MerkleTree.RootFromInclusion(index, n, MerkleTree.LeafHash(entries[index]), proof));
            }
        }, iter: 400);

    [Fact]
    public void EveryPairOfSizes_IsProvedConsistent_AndARewrittenPrefixIsNot() =>
        Gen.Int[1, 200].SelectMany(n => Gen.Int[1, n].Select(m => (m, n))).Sample((m, n) =>
        {
            var entries = EntryHashes(n);
            var oldRoot = Compute(entries, [], m).Root;
            var (newRoot, proof) = Compute(entries, MerkleTree.ConsistencyRanges(m, n), n);
            Assert.True(MerkleTree.VerifyConsistency(m, n, oldRoot, newRoot, proof));
            var rewritten = (byte[][])entries.Clone();
            rewritten[m - 1] = SHA256.HashData(rewritten[m - 1]);
            var (otherRoot, otherProof) = Compute(rewritten, MerkleTree.ConsistencyRanges(m, n), n);
            Assert.False(MerkleTree.VerifyConsistency(m, n, oldRoot, otherRoot, otherProof));
        }, iter: 400);
}
