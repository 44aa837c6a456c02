using MonitorConsole.Audit.Chain;
using MonitorConsole.Audit.Checkpoints;
using MonitorConsole.Audit.Merkle;
using MonitorConsole.Audit.Tests.Support;

namespace MonitorConsole.Audit.Tests;

public sealed class CheckpointTests
{
    [Fact]
    public async Task Checkpoint_StillMatches_AfterAppendsAndARollback()
    {
        await using var ledger = new LedgerFixture();
        var entries = await ledger.SeedAsync(10);
        var checkpoint = await ledger.Checkpoints.CreateAsync();
        Assert.Equal((10L, entries[^1].EntryHash), (checkpoint.TreeSize, checkpoint.EntryHash));

        await ledger.SeedAsync(5);
        await ledger.Rollback.RollbackAsync(entries[3].EntryHash, "admin", "bad deploy");
        var check = await ledger.Checkpoints.CheckAsync(checkpoint);
        Assert.True(check.Matches, check.Detail);
        Assert.True(check.KeyTrusted);
        Assert.Equal(16, check.ChainSize);
    }

    [Fact]
    public async Task Checkpoint_DetectsTruncation_ThatVerificationAloneCannot()
    {
        await using var ledger = new LedgerFixture();
        await ledger.SeedAsync(10);
        var checkpoint = await ledger.Checkpoints.CreateAsync();
        ledger.Tamper("DELETE FROM audit_entries WHERE sequence > 7");

        Assert.True((await ledger.Verifier.VerifyAsync()).Valid);
        var check = await ledger.Checkpoints.CheckAsync(checkpoint);
        Assert.False(check.Matches);
        Assert.Equal(CheckpointCheck.Truncated, check.Problem);
        Assert.Equal(7, check.ChainSize);
    }

    [Fact]
    public async Task Checkpoint_DetectsAWholesaleRewrite_WithEveryHashRecomputed()
    {
        await using var ledger = new LedgerFixture();
        await ledger.SeedAsync(8);
        var checkpoint = await ledger.Checkpoints.CreateAsync();
        // Rewrite entry 3 and re-chain everything after it, as someone with write access and the spec could.
        var previous = (await ledger.Queries.GetBySequenceAsync(2))!.Entry.EntryHash;
        for (long sequence = 3; sequence <= 8; sequence++)
        {
            var e = (await ledger.Queries.GetBySequenceAsync(sequence))!.Entry;
            var data = sequence == 3 ? """{"step":3,"approved_by":"nobody"}""" : e.Data;
            var dataHash = HashSpec.ComputeDataHash(data);
            var hash = HashSpec.ComputeEntryHash(e.Sequence, e.EntryId, HashSpec.FormatTimestamp(e.Timestamp), e.Action, e.Actor,
                e.ResourceType, e.ResourceId, dataHash, e.Details, previous);
            ledger.Tamper($"UPDATE audit_entries SET data = '{data}', data_hash = '{dataHash}', previous_hash = '{previous}', entry_hash = '{hash}' WHERE sequence = {sequence}");
            previous = hash;
        }

        Assert.True((await ledger.Verifier.VerifyAsync()).Valid);
        var check = await ledger.Checkpoints.CheckAsync(checkpoint);
        Assert.Equal(CheckpointCheck.Rewritten, check.Problem);
    }

    [Fact]
    public async Task AnAlteredCheckpointFile_FailsItsSignature()
    {
        await using var ledger = new LedgerFixture();
        await ledger.SeedAsync(5);
        var checkpoint = await ledger.Checkpoints.CreateAsync();
        var forged = Checkpoint.Parse(checkpoint.ToJson().Replace("\"tree_size\": 5", "\"tree_size\": 3", StringComparison.Ordinal));
        var check = await ledger.Checkpoints.CheckAsync(forged);
        Assert.Equal(CheckpointCheck.BadSignature, check.Problem);
        Assert.Throws<AuditValidationException>(() => Checkpoint.Parse("""{"format":"something else"}"""));
    }

    [Fact]
    public async Task AfterAKeyRotation_OldCheckpointsStillVerifyAgainstTheirTrustedKey()
    {
        var folder = Path.Combine(Path.GetTempPath(), "mc-rotation", Guid.NewGuid().ToString("N"));
        var database = Path.Combine(folder, "audit.db");
        Checkpoint old;
        await using (var first = new LedgerFixture(o => Place(o, database, folder)))
        {
            await first.SeedAsync(3);
            old = await first.Checkpoints.CreateAsync();
        }
        File.Delete(Path.Combine(folder, "signing.pem"));
        await using var second = new LedgerFixture(o => Place(o, database, folder));
        var fresh = await second.Checkpoints.CreateAsync();

        Assert.NotEqual(old.KeyId, fresh.KeyId);
        var check = await second.Checkpoints.CheckAsync(old);
        Assert.True(check.Matches && check.KeyTrusted, check.Detail);
        Assert.Equal(2, Directory.GetFiles(Path.Combine(folder, "trusted"), "*.pem").Length);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(folder, "signing.pem")));
    }

    [Fact]
    public async Task InclusionAndConsistencyProofs_FromTheDatabase_VerifyAgainstCheckpointRoots()
    {
        await using var ledger = new LedgerFixture();
        var entries = await ledger.SeedAsync(37);
        var early = await ledger.Checkpoints.CreateAsync();
        await ledger.SeedAsync(20);
        var late = await ledger.Checkpoints.CreateAsync();

        var proof = await ledger.Proofs.InclusionAsync(entries[12].Sequence, late.TreeSize);
        Assert.Equal(MerkleTree.LeafHash(entries[12].EntryHash), Convert.FromHexString(proof.LeafHash));
        var root = MerkleTree.RootFromInclusion(proof.LeafIndex, proof.TreeSize, Convert.FromHexString(proof.LeafHash),
            proof.AuditPath.Select(Convert.FromHexString).ToList());
        Assert.Equal(late.MerkleRoot, Convert.ToHexStringLower(root!));

        var consistency = await ledger.Proofs.ConsistencyAsync(early.TreeSize, late.TreeSize);
        Assert.Equal((early.MerkleRoot, late.MerkleRoot), (consistency.OldRoot, consistency.NewRoot));
        Assert.True(MerkleTree.VerifyConsistency(early.TreeSize, late.TreeSize, Convert.FromHexString(early.MerkleRoot),
            Convert.FromHexString(late.MerkleRoot), consistency.Proof.Select(Convert.FromHexString).ToList()));
    }

    private static void Place(AuditOptions o, string database, string folder)
    {
        o.Database = $"sqlite:///{database}";
        o.Checkpoints.SigningKeyFile = Path.Combine(folder, "signing.pem");
        o.Checkpoints.PublicKeysDirectory = Path.Combine(folder, "trusted");
    }
}
