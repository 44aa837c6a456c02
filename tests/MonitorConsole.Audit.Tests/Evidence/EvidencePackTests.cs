using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using MonitorConsole.Audit.Checkpoints;
using MonitorConsole.Audit.Evidence;
using MonitorConsole.Audit.Queries;
using MonitorConsole.Audit.Tests.Support;

namespace MonitorConsole.Audit.Tests.Evidence;

/// <summary>
/// Evidence packs (issue #14 point 2): a zip of a trail's entries, the signed checkpoint covering them and an
/// inclusion proof per entry, which checks offline — on every provider — and fails when anything in it is forged.
/// </summary>
public sealed class EvidencePackTests
{
    public static TheoryData<string> Providers => [.. Insider.Providers];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Pack_OfATrail_HoldsExactlyItsEntries_AndEveryCheckPasses(string provider)
    {
        await using var insider = await Insider.OpenAsync(provider, 40);
        var ledger = insider.Ledger;
        var filter = TrailFilter.ForActor("user_1");

        var (path, pack) = await PackFiles.MakeAsync(ledger, filter);
        await using (pack)
        {
            var result = await EvidenceVerifier.VerifyFileAsync(path, PackFiles.Trusted(ledger, pack.Report.Checkpoint.KeyId));

            Assert.True(result.Valid, string.Join("\n", result.Checks.Select(c => $"{c.Title}: {c.Outcome} {c.Detail}")));
            Assert.Equal(10, result.Entries);
            Assert.Equal(10, pack.Report.Counts.EntriesInScope);
            Assert.Equal(EvidenceCheckOutcome.Passed, PackFiles.Check(result, "Signing key trusted").Outcome);
            Assert.Equal(EvidenceCheckOutcome.Passed, PackFiles.Check(result, "Inclusion proofs").Outcome);
            Assert.Equal(EvidenceCheckOutcome.Passed, PackFiles.Check(result, "Files as listed in SHA256SUMS").Outcome);
            // No TSA configured: the anchor is neither proof nor disproof.
            Assert.Equal(EvidenceCheckOutcome.NotChecked, PackFiles.Check(result, "Time anchor (RFC 3161)").Outcome);
            Assert.True(pack.Report.AllPassed);
            Assert.Contains(pack.Report.Checks, c => c.Title == "Whole chain verified in the database" && c.Outcome == EvidenceCheckOutcome.Passed);
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(path))), pack.Sha256);

            using var zip = ZipFile.OpenRead(path);
            var json = await JsonNode.ParseAsync(zip.GetEntry(EvidencePackFiles.Entries)!.Open());
            var actors = json!["entries"]!.AsArray().Select(e => (string)e!["actor"]!).Distinct().ToList();
            Assert.Equal(["user_1"], actors);
            Assert.Equal("trail", (string)json["scope"]!);
            Assert.Equal(40, (long)json["filter"]!["through_sequence"]!);
            foreach (var name in new[] { EvidencePackFiles.Guide, EvidencePackFiles.ReportHtml, EvidencePackFiles.Manifest, EvidencePackFiles.Statement, EvidencePackFiles.Signature, EvidencePackFiles.PublicKey })
                Assert.NotNull(zip.GetEntry(name));
        }
    }

    [Fact]
    public async Task Pack_UsesTheNewestCheckpoint_WhenItCoversTheEntries_AndMakesOneWhenNoneDoes()
    {
        await using var ledger = new LedgerFixture();
        await ledger.SeedAsync(30);
        var stored = await ledger.Checkpoints.CreateAsync();
        await ledger.SeedAsync(5, i => Drafts.Entry(i, actor: "late"));

        await using (var early = await ledger.Evidence.PrepareAsync(TrailFilter.ForActor("user_2"), "alice"))
        {
            // Entries 2..30 by user_2 all lie within the stored checkpoint of 30 entries.
            Assert.False(early.Report.Checkpoint.MadeForThisPack);
            Assert.Equal(stored.TreeSize, early.Report.Checkpoint.TreeSize);
        }
        await using var late = await ledger.Evidence.PrepareAsync(TrailFilter.ForActor("late"), "alice");
        Assert.True(late.Report.Checkpoint.MadeForThisPack);
        Assert.Equal(35, late.Report.Checkpoint.TreeSize);
        Assert.Equal(35, (await ledger.Checkpoints.LatestAsync())!.TreeSize);
    }

    [Fact]
    public async Task Pack_IsRefused_WhenTheFilterPicksNothing_OrMoreThanTheLimit()
    {
        await using var ledger = new LedgerFixture(o => o.Evidence.MaxEntries = 5);
        await ledger.SeedAsync(20);

        var none = await Assert.ThrowsAsync<AuditValidationException>(() => ledger.Evidence.PrepareAsync(TrailFilter.ForActor("nobody"), "alice"));
        Assert.Equal("filter", none.Field);
        Assert.Contains("no entries", none.Problem);
        var many = await Assert.ThrowsAsync<AuditValidationException>(() => ledger.Evidence.PrepareAsync(null, "alice"));
        Assert.Contains("picks 20 entries; a pack holds at most 5", many.Problem);
        Assert.Null(await ledger.Checkpoints.LatestAsync());
    }

    [Fact]
    public async Task ProofsForManyEntries_FromOneSnapshot_AreTheSameAsOneByOne_AcrossManyBlocks()
    {
        await using var ledger = new LedgerFixture();
        // Past two of the proof cache's blocks, and not a power of two, so every kind of piece occurs.
        await ledger.SeedAsync(5000);
        const long treeSize = 4999;
        var sequences = new long[] { 1, 2, 3, 1000, 2047, 2048, 2049, 2050, 4095, 4096, 4097, 4998, 4999 };

        var many = await ledger.Proofs.InclusionsAsync(sequences.ToAsyncEnumerable(), treeSize).ToListAsync();

        Assert.Equal(sequences.Length, many.Count);
        foreach (var proof in many)
        {
            var single = await ledger.Proofs.InclusionAsync(proof.Sequence, treeSize);
            Assert.Equal(single.AuditPath, proof.AuditPath);
            Assert.Equal(single.LeafHash, proof.LeafHash);
            Assert.Equal(single.MerkleRoot, proof.MerkleRoot);
        }
    }

    [Fact]
    public async Task ProofsForManyEntries_RefuseSequencesOutOfOrder()
    {
        await using var ledger = new LedgerFixture();
        await ledger.SeedAsync(10);
        var error = await Assert.ThrowsAsync<AuditValidationException>(async () =>
            await ledger.Proofs.InclusionsAsync(new long[] { 3, 2 }.ToAsyncEnumerable(), 10).ToListAsync());
        Assert.Equal("sequence", error.Field);
    }
}
