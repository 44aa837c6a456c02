using MonitorConsole.Audit.Merkle;
using MonitorConsole.Audit.Tests.Support;

namespace MonitorConsole.Audit.Tests;

/// <summary>Roots and proofs built from cached block hashes equal those of a full pass over the entries.</summary>
public sealed class ProofCacheTests
{
    private const int B = MerkleBlockCache.BlockLeaves;

    private static async Task<byte[]> FullPassRootAsync(LedgerFixture ledger, long size) => (await ledger.Proofs.PrefixAsync(size)).Root!;

    [Fact]
    public async Task RootsAndProofs_AcrossBlockBoundaries_MatchAFullPass()
    {
        await using var ledger = new LedgerFixture();
        await ledger.SeedAsync(2 * B + 700);
        long[] sizes = [1, 5, B - 1, B, B + 1, 2 * B - 1, 2 * B, 2 * B + 700];
        var roots = new Dictionary<long, byte[]>();
        foreach (var size in sizes) roots[size] = await FullPassRootAsync(ledger, size);

        foreach (var size in sizes) Assert.Equal(roots[size], await ledger.Proofs.RootAsync(size));
        foreach (var size in sizes)
            foreach (var sequence in new long[] { 1, size / 2 + 1, size }.Where(s => s >= 1 && s <= size).Distinct())
            {
                var proof = await ledger.Proofs.InclusionAsync(sequence, size);
                var root = MerkleTree.RootFromInclusion(proof.LeafIndex, size, Convert.FromHexString(proof.LeafHash),
                    proof.AuditPath.Select(Convert.FromHexString).ToList());
                Assert.True(root is not null && root.SequenceEqual(roots[size]), $"leaf {sequence} of {size}");
            }
        foreach (var (from, to) in sizes.SelectMany(a => sizes.Where(b => b >= a).Select(b => (a, b))))
        {
            var proof = await ledger.Proofs.ConsistencyAsync(from, to);
            Assert.True(MerkleTree.VerifyConsistency(from, to, roots[from], roots[to], proof.Proof.Select(Convert.FromHexString).ToList()),
                $"{from} → {to}");
        }
        Assert.Equal(2, ledger.Proofs.CachedBlocks);
    }

    [Fact]
    public async Task ACheckpoint_WarmsTheCache_AndProofsAfterItAgreeWithIt()
    {
        await using var ledger = new LedgerFixture();
        await ledger.SeedAsync(3 * B + 10);
        Assert.Equal(0, ledger.Proofs.CachedBlocks);
        var checkpoint = await ledger.Checkpoints.CreateAsync();
        Assert.Equal(3, ledger.Proofs.CachedBlocks);

        var proof = await ledger.Proofs.InclusionAsync(B + 17, checkpoint.TreeSize);
        Assert.Equal(checkpoint.MerkleRoot, proof.MerkleRoot);
    }

    [Fact]
    public async Task TheCache_IsDropped_WhenTheEntryEndingItsLastBlockChanged()
    {
        await using var ledger = new LedgerFixture();
        await ledger.SeedAsync(B + 3);
        var before = await ledger.Proofs.RootAsync(B + 3);
        // Another database put in place, or a rewrite: the block's last entry no longer has the hash the cache was built from.
        ledger.Tamper($"UPDATE audit_entries SET entry_hash = '{new string('a', 64)}' WHERE sequence = {B}");

        var after = await ledger.Proofs.RootAsync(B + 3);
        Assert.NotEqual(before, after);
        Assert.Equal(await FullPassRootAsync(ledger, B + 3), after);
    }
}
