using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MonitorConsole.Audit.Chain;
using MonitorConsole.Audit.Export;
using MonitorConsole.Audit.Queries;
using MonitorConsole.Audit.Tests.Support;
using static MonitorConsole.Audit.Tests.Support.ExportFiles;

namespace MonitorConsole.Audit.Tests;

/// <summary>Offline verification trusts nothing in the file: complete chain by default, entry by entry with --trail.</summary>
public sealed class OfflineVerificationTests
{
    [Fact]
    public async Task VerifyExport_FailsAsIncomplete_WhenChainExportHasEntriesCutButClaimsTrailScope()
    {
        await using var ledger = new LedgerFixture();
        await ledger.SeedAsync(20);
        var node = JsonNode.Parse(await ExportAsync(ledger, ExportFormat.Json))!;
        var entries = node["entries"]!.AsArray();
        for (var i = 0; i < 5; i++) entries.RemoveAt(4); // sequences 5 to 9
        node["scope"] = "trail";
        var path = await WriteAsync(ledger, "cut-trail.json", node.ToJsonString());

        var chain = await ExportVerifier.VerifyFileAsync(path);

        Assert.Equal(ExportOutcomes.Incomplete, chain.Outcome);
        Assert.False(chain.Complete);
        Assert.Equal("trail", chain.ClaimedScope);
        Assert.Equal(0, chain.TamperingCount);
        Assert.Equal(
            [
                "the file says it is a trail export; a trail cannot prove completeness — use --trail to check its entries one by one",
                "not a complete chain: sequence jumps from 4 to 10, so 5 entries are missing",
            ],
            chain.Problems.Select(p => p.Detail));
        Assert.All(chain.Problems, p => Assert.Equal(ExportProblemCategories.Incomplete, p.Category));

        var trail = await ExportVerifier.VerifyFileAsync(path, ExportCheckMode.Trail);

        Assert.Equal(ExportOutcomes.EntriesValid, trail.Outcome);
        Assert.False(trail.Complete);
        Assert.Equal(15, trail.VerifiedEntries);
        Assert.Empty(trail.Problems);
        Assert.StartsWith("completeness and links were not proven", trail.Note);
    }

    [Fact]
    public async Task VerifyExport_ReportsTimeGoingBackwards_AcrossAGapInTheFile()
    {
        await using var ledger = new LedgerFixture();
        // Entry 5 holds its own hashes and claims an entry 4 that is not in the file; it is dated before entry 1.
        var path = await WriteAsync(ledger, "backdated-after-gap.json", ExportText("chain",
            Entry(1, "2026-01-30T12:00:05.000000Z"), Entry(5, "2026-01-30T12:00:01.000000Z")));

        var result = await ExportVerifier.VerifyFileAsync(path);

        Assert.False(result.Complete);
        Assert.Contains(result.Problems, p => p.Sequence == 5 && p.Kind == ChainBreakKinds.TimestampRegression
                                              && p.Category == ExportProblemCategories.Tampering);
    }

    [Fact]
    public async Task VerifyExport_FailsAsIncomplete_WhenTheChainStartsAtSequenceTwo()
    {
        await using var ledger = new LedgerFixture();
        await ledger.SeedAsync(6);
        var node = JsonNode.Parse(await ExportAsync(ledger, ExportFormat.Json))!;
        node["entries"]!.AsArray().RemoveAt(0);
        var path = await WriteAsync(ledger, "from-two.json", node.ToJsonString());

        var verification = await ExportVerifier.VerifyFileAsync(path);

        Assert.Equal(ExportOutcomes.Incomplete, verification.Outcome);
        var problem = Assert.Single(verification.Problems);
        Assert.Equal(ExportProblemKinds.NotFromGenesis, problem.Kind);
        Assert.StartsWith("not a complete chain: the file's first entry is sequence 2", problem.Detail);
        Assert.Equal(5, verification.VerifiedEntries);
    }

    [Theory]
    [InlineData(ExportFormat.Json)]
    [InlineData(ExportFormat.Csv)]
    public async Task VerifyExport_OfAGenuineTrailIncludingSequenceOne_SaysTrailByDefault_AndPassesEntryByEntry(ExportFormat format)
    {
        await using var ledger = new LedgerFixture();
        await ledger.SeedAsync(30);
        // Drafts give sequence i the actor user_{i % 4}: user_1 holds 1, 5, 9, ...
        var text = await ExportAsync(ledger, format, TrailFilter.ForActor("user_1"));
        var path = await WriteAsync(ledger, "trail." + format.ToString().ToLowerInvariant(), text);

        var chain = await ExportVerifier.VerifyFileAsync(path);

        Assert.Equal(1, chain.FirstSequence);
        Assert.Equal(ExportOutcomes.Incomplete, chain.Outcome);
        Assert.Equal(0, chain.TamperingCount);
        Assert.Equal(ExportProblemKinds.ClaimsTrail, chain.Problems[0].Kind);
        Assert.Contains("use --trail", chain.Problems[0].Detail);
        Assert.Contains(chain.Problems, p => p.Detail == "not a complete chain: sequence jumps from 1 to 5, so 3 entries are missing");
        Assert.DoesNotContain("TAMPER", chain.Summary);

        var trail = await ExportVerifier.VerifyFileAsync(path, ExportCheckMode.Trail);

        Assert.Equal(ExportOutcomes.EntriesValid, trail.Outcome);
        Assert.Equal(8, trail.TotalEntries);
        Assert.Equal(8, trail.VerifiedEntries);
    }

    [Fact]
    public async Task TrailCheck_FailsAtTheEditedEntry_WhenATrailEntryIsTampered()
    {
        await using var ledger = new LedgerFixture();
        await ledger.SeedAsync(30);
        var node = JsonNode.Parse(await ExportAsync(ledger, ExportFormat.Json, TrailFilter.ForActor("user_2")))!;
        var edited = node["entries"]![3]!; // sequence 14
        edited["resource_id"] = "model_9";
        var path = await WriteAsync(ledger, "edited-trail.json", node.ToJsonString());

        var verification = await ExportVerifier.VerifyFileAsync(path, ExportCheckMode.Trail);

        Assert.Equal(ExportOutcomes.Tampered, verification.Outcome);
        var problem = Assert.Single(verification.Problems);
        Assert.Equal((ExportProblemCategories.Tampering, InvalidEntryReasons.EntryHashMismatch, 14L),
            (problem.Category, problem.Kind, problem.Sequence!.Value));
        Assert.StartsWith("TAMPERING FOUND: 1 problem in 8 entries", verification.Summary);
        Assert.StartsWith("completeness and links were not proven", verification.Note);
    }

    [Fact]
    public async Task TrailCheck_Fails_WhenEntriesAreOutOfOrderOrATimestampGoesBack()
    {
        await using var ledger = new LedgerFixture();
        // Each entry is self-consistent, so only the order checks can catch them.
        var file = ExportText("trail",
            Entry(3, "2026-01-30T12:00:03.000000Z"),
            Entry(7, "2026-01-30T12:00:02.000000Z"),
            Entry(5, "2026-01-30T12:00:05.000000Z"));
        var path = await WriteAsync(ledger, "disordered.json", file);

        var verification = await ExportVerifier.VerifyFileAsync(path, ExportCheckMode.Trail);

        Assert.Equal(ExportOutcomes.Tampered, verification.Outcome);
        Assert.Equal(
            [(7L, ExportProblemKinds.TimestampGoesBack), (5L, ExportProblemKinds.SequenceNotIncreasing)],
            verification.Problems.Select(p => (p.Sequence!.Value, p.Kind)));
        Assert.Equal(1, verification.VerifiedEntries);
    }

    [Fact]
    public async Task TrailCheck_HoldsSequenceOneToTheGenesisHash()
    {
        await using var ledger = new LedgerFixture();
        var path = await WriteAsync(ledger, "forged-first.json", ExportText("trail", Entry(1, "2026-01-30T12:00:00.000000Z", new string('a', 64))));

        var verification = await ExportVerifier.VerifyFileAsync(path, ExportCheckMode.Trail);

        Assert.Equal(ExportOutcomes.Tampered, verification.Outcome);
        Assert.Contains(verification.Problems, p => p.Kind == ChainBreakKinds.PreviousHashMismatch && p.Sequence == 1);
    }

    [Fact]
    public async Task VerifyExport_ReportsTamperingAndIncompleteness_WhenACutFileAlsoHasAnEditedEntry()
    {
        await using var ledger = new LedgerFixture();
        await ledger.SeedAsync(12);
        var node = JsonNode.Parse(await ExportAsync(ledger, ExportFormat.Json))!;
        var entries = node["entries"]!.AsArray();
        entries[9]!["actor"] = "mallory"; // sequence 10
        entries.RemoveAt(5); // sequence 6
        var path = await WriteAsync(ledger, "cut-and-edited.json", node.ToJsonString());

        var verification = await ExportVerifier.VerifyFileAsync(path);

        Assert.Equal(ExportOutcomes.Tampered, verification.Outcome);
        Assert.Equal(1, verification.IncompleteCount);
        Assert.Equal(
            [
                (ExportProblemCategories.Incomplete, ExportProblemKinds.EntriesMissing, 7L),
                (ExportProblemCategories.Tampering, InvalidEntryReasons.EntryHashMismatch, 10L),
            ],
            verification.Problems.Select(p => (p.Category, p.Kind, p.Sequence!.Value)));
        Assert.Contains("the file is not a complete chain either", verification.Summary);
    }

    [Fact]
    public async Task VerifyExport_IgnoresCountsAndFlagsTheFileAddsAboutItself()
    {
        await using var ledger = new LedgerFixture();
        await ledger.SeedAsync(8);
        var node = JsonNode.Parse(await ExportAsync(ledger, ExportFormat.Json))!;
        var entries = node["entries"]!.AsArray();
        entries.RemoveAt(3);
        foreach (var entry in entries) entry!["rolled_back"] = true;
        node["entry_count"] = 8;
        node["complete"] = true;
        node["verified"] = "yes";
        var path = await WriteAsync(ledger, "claims.json", node.ToJsonString());

        var verification = await ExportVerifier.VerifyFileAsync(path);

        Assert.Equal(ExportOutcomes.Incomplete, verification.Outcome);
        Assert.Equal(7, verification.TotalEntries);
    }

    [Theory]
    [InlineData("""{"format":"monitorconsole.audit.v1","scope":"chain","scope":"trail","entries":[]}""", "'scope' twice")]
    [InlineData("""{"format":"monitorconsole.audit.v1","entries":[{"sequence":1,"actor":"a","actor":"b"}]}""", "actor")]
    public async Task VerifyExport_RefusesAFileThatNamesAFieldTwice(string json, string expected)
    {
        await using var ledger = new LedgerFixture();
        var path = await WriteAsync(ledger, "twice.json", json);

        var error = await Assert.ThrowsAsync<AuditOperationException>(() => ExportVerifier.VerifyFileAsync(path));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public async Task VerifyExport_OfAnExportWithNoEntries_IsNotACompleteChain()
    {
        await using var ledger = new LedgerFixture();
        var path = await WriteAsync(ledger, "empty.json", await ExportAsync(ledger, ExportFormat.Json));

        var verification = await ExportVerifier.VerifyFileAsync(path);

        Assert.Equal(ExportOutcomes.Incomplete, verification.Outcome);
        Assert.Equal(ExportProblemKinds.NoEntries, Assert.Single(verification.Problems).Kind);
    }

    [Fact]
    public async Task CsvExport_CarriesItsScopeInALastColumn()
    {
        await using var ledger = new LedgerFixture();
        await ledger.SeedAsync(8);

        var chain = (await ExportAsync(ledger, ExportFormat.Csv)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var trail = (await ExportAsync(ledger, ExportFormat.Csv, TrailFilter.ForActor("user_3"))).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(
            "sequence,entry_id,timestamp,action,actor,resource_type,resource_id,data,details,data_hash,previous_hash,entry_hash,data_erased,rolled_back,scope",
            chain[0]);
        Assert.Equal(9, chain.Length);
        Assert.All(chain.Skip(1), row => Assert.EndsWith(",false,chain", row));
        Assert.Equal(3, trail.Length);
        Assert.All(trail.Skip(1), row => Assert.EndsWith(",false,trail", row));
    }

    [Fact]
    public async Task VerifyExport_OfAnOlderCsvWithoutScope_StillVerifies_AndSuggestsTrailWhenIncomplete()
    {
        await using var ledger = new LedgerFixture();
        await ledger.SeedAsync(10);
        static string WithoutScope(string csv) => string.Join("\r\n", csv.Split("\r\n").Select(line => line.EndsWith(",chain", StringComparison.Ordinal)
            ? line[..^",chain".Length]
            : line.EndsWith(",trail", StringComparison.Ordinal) ? line[..^",trail".Length]
            : line.EndsWith(",scope", StringComparison.Ordinal) ? line[..^",scope".Length] : line));
        var chainCsv = WithoutScope(await ExportAsync(ledger, ExportFormat.Csv));
        Assert.DoesNotContain("scope", chainCsv);
        var chainPath = await WriteAsync(ledger, "old-chain.csv", chainCsv);
        var trailPath = await WriteAsync(ledger, "old-trail.csv",
            WithoutScope(await ExportAsync(ledger, ExportFormat.Csv, TrailFilter.ForActor("user_2"))));

        var chain = await ExportVerifier.VerifyFileAsync(chainPath);
        var trailByDefault = await ExportVerifier.VerifyFileAsync(trailPath);
        var trail = await ExportVerifier.VerifyFileAsync(trailPath, ExportCheckMode.Trail);

        Assert.Equal(ExportOutcomes.CompleteChain, chain.Outcome);
        Assert.Null(chain.ClaimedScope);
        Assert.Equal(ExportOutcomes.Incomplete, trailByDefault.Outcome);
        Assert.Equal("not a complete chain: the file's first entry is sequence 2, so entry 1 is not in it",
            trailByDefault.Problems[0].Detail);
        Assert.Contains("no scope column", trailByDefault.Note);
        Assert.Equal(ExportOutcomes.EntriesValid, trail.Outcome);
    }

    [Fact]
    public async Task VerifyExport_StreamsALargeCsv_AndFindsARowCutNearItsEnd()
    {
        await using var ledger = new LedgerFixture();
        await ledger.SeedAsync(6000);
        var csv = await ExportAsync(ledger, ExportFormat.Csv);
        var whole = await WriteAsync(ledger, "large.csv", csv);
        var lines = csv.Split("\r\n").ToList();
        lines.RemoveAt(5500); // the row of sequence 5500 (line 0 is the header)
        var cut = await WriteAsync(ledger, "large-cut.csv", string.Join("\r\n", lines));

        var complete = await ExportVerifier.VerifyFileAsync(whole);
        var incomplete = await ExportVerifier.VerifyFileAsync(cut);

        Assert.Equal(ExportOutcomes.CompleteChain, complete.Outcome);
        Assert.Equal((6000L, 6000L, 6000L), (complete.TotalEntries, complete.VerifiedEntries, complete.LastSequence!.Value));
        Assert.Equal(ExportOutcomes.Incomplete, incomplete.Outcome);
        Assert.Equal(5999, incomplete.VerifiedEntries);
        var gap = Assert.Single(incomplete.Problems);
        Assert.Equal("not a complete chain: sequence jumps from 5499 to 5501, so 1 entry is missing", gap.Detail);
    }
}
