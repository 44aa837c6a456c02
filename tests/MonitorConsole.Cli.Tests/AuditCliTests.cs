using System.Text.Json;
using System.Text.Json.Nodes;

namespace MonitorConsole.Cli.Tests;

public sealed class AuditCliTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Append_PrintsTheEntryId_AndVerifyExitsZero()
    {
        var (code, output, _) = await _cli.RunAsync("audit", "append", "--action", "UPDATE", "--actor", "alice",
            "--resource-type", "model", "--resource-id", "m1", "--data", """{"threshold":0.9}""");
        Assert.Equal(0, code);
        Assert.Matches("^[0-9a-f-]{36}$", output.Trim());

        var verify = await _cli.RunAsync("audit", "verify");
        Assert.Equal(0, verify.Code);
        Assert.StartsWith("valid: 1 of 1", verify.Out);
    }

    [Fact]
    public async Task Append_WithBadInput_ExitsTwoWithOneLineNamingTheField()
    {
        var (code, output, error) = await _cli.RunAsync("audit", "append", "--action", "UPDATE", "--actor", "alice",
            "--resource-type", "model", "--data", "{oops");
        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.StartsWith("error: data: is not valid JSON", error);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task UnknownVerbOrMissingOption_ExitsTwo()
    {
        Assert.Equal(2, (await _cli.RunAsync("audit", "frobnicate")).Code);
        Assert.Equal(2, (await _cli.RunAsync("audit", "append", "--actor", "alice")).Code);
        Assert.Equal(2, (await _cli.RunAsync("audit", "export", "--format", "xml")).Code);
    }

    [Fact]
    public async Task Verify_ExitsOne_AndJsonHasSnakeCaseResult_WhenTampered()
    {
        var file = _cli.WriteFile("entries.jsonl", string.Join('\n', Enumerable.Range(1, 5).Select(i =>
            $$$"""{"action":"UPDATE","actor":"user_{{{i}}}","resource_type":"model","resource_id":"m","data":{"i":{{{i}}}}}""")));
        Assert.Equal(0, (await _cli.RunAsync("audit", "import", file)).Code);
        _cli.Sql("UPDATE audit_entries SET actor = 'mallory' WHERE sequence = 3");

        var (code, output, _) = await _cli.RunAsync("audit", "verify", "--json");

        Assert.Equal(1, code);
        using var doc = JsonDocument.Parse(output);
        Assert.False(doc.RootElement.GetProperty("valid").GetBoolean());
        Assert.Equal(5, doc.RootElement.GetProperty("total_entries").GetInt64());
        Assert.Equal(4, doc.RootElement.GetProperty("verified_entries").GetInt64());
        var invalid = doc.RootElement.GetProperty("invalid_entries")[0];
        Assert.Equal(3, invalid.GetProperty("sequence").GetInt64());
        Assert.Equal("entry_hash_mismatch", invalid.GetProperty("reason").GetString());
        Assert.Equal(0, doc.RootElement.GetProperty("chain_breaks").GetArrayLength());
    }

    [Fact]
    public async Task Erase_KeepsVerifyAndVerifyExportValid_AndListsTheErasedEntry_WhileASecondErasureExitsTwo()
    {
        var file = _cli.WriteFile("people.jsonl", string.Join('\n', Enumerable.Range(1, 4).Select(i =>
            $$$"""{"action":"UPDATE","actor":"hr","resource_type":"person","resource_id":"p{{{i}}}","data":{"name":"Person {{{i}}}"}}""")));
        Assert.Equal(0, (await _cli.RunAsync("audit", "import", file)).Code);

        var erase = await _cli.RunAsync("audit", "erase", "--sequence", "2", "--reason", "GDPR request 7", "--actor", "admin");
        Assert.Equal(0, erase.Code);
        Assert.StartsWith("erased the data of entry 2; ERASURE entry", erase.Out);
        Assert.Contains("at sequence 5", erase.Out);

        var verify = await _cli.RunAsync("audit", "verify");
        Assert.Equal(0, verify.Code);
        Assert.Contains("erased: 1 entry's data, recorded by ERASURE entries: 2 (by ERASURE entry 5)", verify.Out);
        var json = await _cli.RunAsync("audit", "verify", "--json");
        using (var doc = JsonDocument.Parse(json.Out))
        {
            Assert.Equal(1, doc.RootElement.GetProperty("erased_count").GetInt64());
            var erased = doc.RootElement.GetProperty("erased_entries")[0];
            Assert.Equal((2L, 5L), (erased.GetProperty("sequence").GetInt64(), erased.GetProperty("erased_by_sequence").GetInt64()));
        }

        var export = Path.Combine(_cli.Folder, "chain.json");
        Assert.Equal(0, (await _cli.RunAsync("audit", "export", "--format", "json", "--out", export)).Code);
        var offline = await _cli.RunAsync("audit", "verify-export", export);
        Assert.Equal(0, offline.Code);
        Assert.Contains("1 entry's data erased", offline.Out);

        var again = await _cli.RunAsync("audit", "erase", "--sequence", "2", "--reason", "again");
        Assert.Equal(2, again.Code);
        Assert.StartsWith("error: sequence: the data of entry 2 has already been erased", again.Err);
        var ledgerRecord = await _cli.RunAsync("audit", "erase", "--sequence", "5", "--reason", "x");
        Assert.Equal(2, ledgerRecord.Code);
        Assert.Contains("ERASURE entry: the ledger's own records cannot be erased", ledgerRecord.Err);
    }

    [Fact]
    public async Task Import_WritesNothing_WhenAnyLineIsBad()
    {
        var file = _cli.WriteFile("bad.jsonl",
            """
            {"action":"UPDATE","actor":"a","resource_type":"model"}
            {"action":"UPDATE","actor":"","resource_type":"model"}
            """);
        var (code, _, error) = await _cli.RunAsync("audit", "import", file);
        Assert.Equal(2, code);
        Assert.Contains("entries[1].actor", error);
        var stats = await _cli.RunAsync("audit", "stats", "--json");
        Assert.Equal(0, JsonDocument.Parse(stats.Out).RootElement.GetProperty("total_entries").GetInt64());
    }

    [Fact]
    public async Task ExportAndVerifyExport_RoundTripOffline_AndDetectAnEditedFile()
    {
        await SeedAsync(12);
        var json = Path.Combine(_cli.Folder, "chain.json");
        var csv = Path.Combine(_cli.Folder, "chain.csv");
        Assert.Equal(0, (await _cli.RunAsync("audit", "export", "--format", "json", "--out", json)).Code);
        Assert.Equal(0, (await _cli.RunAsync("audit", "export", "--format", "csv", "--out", csv)).Code);

        var wholeJson = await _cli.RunAsync("audit", "verify-export", json);
        Assert.Equal(0, wholeJson.Code);
        Assert.StartsWith("json export, checked as a complete chain: valid, complete chain: 12 of 12 entries verified, sequence 1 to 12", wholeJson.Out);
        Assert.Equal(0, (await _cli.RunAsync("audit", "verify-export", csv)).Code);

        await File.WriteAllTextAsync(json, (await File.ReadAllTextAsync(json)).Replace("\"user_4\"", "\"user_5\"", StringComparison.Ordinal));
        var edited = await _cli.RunAsync("audit", "verify-export", json);
        Assert.Equal(1, edited.Code);
        Assert.Contains("sequence 4", edited.Out);
    }

    [Fact]
    public async Task VerifyExport_ExitsOne_WhenChainExportHasEntriesCutButClaimsTrailScope()
    {
        await SeedAsync(12);
        var path = Path.Combine(_cli.Folder, "chain.json");
        Assert.Equal(0, (await _cli.RunAsync("audit", "export", "--format", "json", "--out", path)).Code);
        var node = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        var entries = node["entries"]!.AsArray();
        entries.RemoveAt(6);
        entries.RemoveAt(5); // sequences 6 and 7
        node["scope"] = "trail";
        await File.WriteAllTextAsync(path, node.ToJsonString());

        var chain = await _cli.RunAsync("audit", "verify-export", path);

        Assert.Equal(1, chain.Code);
        Assert.StartsWith("json export, checked as a complete chain: NOT A COMPLETE CHAIN", chain.Out);
        Assert.Contains("the file says it is a trail export; a trail cannot prove completeness — use --trail to check its entries one by one", chain.Out);
        Assert.Contains("not a complete chain: sequence jumps from 5 to 8, so 2 entries are missing", chain.Out);
        Assert.DoesNotContain("TAMPERING", chain.Out);

        var trail = await _cli.RunAsync("audit", "verify-export", path, "--trail");

        Assert.Equal(3, trail.Code);
        Assert.Contains("entries individually valid: 10 of 10 entries", trail.Out);
        Assert.Contains("note: completeness and links were not proven", trail.Out);
    }

    [Fact]
    public async Task VerifyExport_ExitsOne_WhenTheChainStartsAtSequenceTwo()
    {
        await SeedAsync(4);
        var path = Path.Combine(_cli.Folder, "chain.json");
        Assert.Equal(0, (await _cli.RunAsync("audit", "export", "--format", "json", "--out", path)).Code);
        var node = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        node["entries"]!.AsArray().RemoveAt(0);
        await File.WriteAllTextAsync(path, node.ToJsonString());

        var (code, output, _) = await _cli.RunAsync("audit", "verify-export", path);

        Assert.Equal(1, code);
        Assert.Contains("not a complete chain: the file's first entry is sequence 2, so entry 1 is not in it", output);
    }

    [Theory]
    [InlineData("json")]
    [InlineData("csv")]
    public async Task VerifyExport_OfAGenuineTrailIncludingSequenceOne_ExitsOneByDefault_AndThreeWithTrail(string format)
    {
        await SeedAsync(9, i => i % 3 == 1 ? "alice" : "bob");
        var path = Path.Combine(_cli.Folder, "alice." + format);
        Assert.Equal(0, (await _cli.RunAsync("audit", "export", "--format", format, "--actor", "alice", "--out", path)).Code);

        var chain = await _cli.RunAsync("audit", "verify-export", path);

        Assert.Equal(1, chain.Code);
        Assert.Contains("the file says it is a trail export", chain.Out);
        Assert.Contains("sequence jumps from 1 to 4", chain.Out);
        Assert.DoesNotContain("TAMPERING", chain.Out);

        var trail = await _cli.RunAsync("audit", "verify-export", path, "--trail");

        Assert.Equal(3, trail.Code);
        Assert.Contains("entries individually valid: 3 of 3 entries", trail.Out);
        Assert.Contains("completeness and links were not proven", trail.Out);
    }

    [Fact]
    public async Task VerifyExport_WithTrail_ExitsOne_WhenATrailEntryIsTampered()
    {
        await SeedAsync(9, i => i % 3 == 1 ? "alice" : "bob");
        var path = Path.Combine(_cli.Folder, "alice.csv");
        Assert.Equal(0, (await _cli.RunAsync("audit", "export", "--format", "csv", "--actor", "alice", "--out", path)).Code);
        var csv = await File.ReadAllTextAsync(path);
        var edited = csv.Replace("\"{\"\"i\"\":4}\"", "\"{\"\"i\"\":40}\"", StringComparison.Ordinal);
        Assert.NotEqual(csv, edited);
        await File.WriteAllTextAsync(path, edited);

        var (code, output, _) = await _cli.RunAsync("audit", "verify-export", path, "--trail");

        Assert.Equal(1, code);
        Assert.Contains("TAMPERING FOUND", output);
        Assert.Contains("sequence 4", output);
        Assert.Contains("data_hash_mismatch", output);
        Assert.Contains("completeness and links were not proven", output);
    }

    [Fact]
    public async Task VerifyExport_Json_GivesModeCompleteAndProblems()
    {
        await SeedAsync(5);
        var path = Path.Combine(_cli.Folder, "chain.csv");
        Assert.Equal(0, (await _cli.RunAsync("audit", "export", "--format", "csv", "--out", path)).Code);

        var whole = await _cli.RunAsync("audit", "verify-export", path, "--json");
        using (var doc = JsonDocument.Parse(whole.Out))
        {
            Assert.Equal(0, whole.Code);
            Assert.Equal("chain", doc.RootElement.GetProperty("mode").GetString());
            Assert.True(doc.RootElement.GetProperty("complete").GetBoolean());
            Assert.Equal(0, doc.RootElement.GetProperty("problems").GetArrayLength());
            Assert.Equal("chain", doc.RootElement.GetProperty("claimed_scope").GetString());
        }

        var lines = (await File.ReadAllLinesAsync(path)).ToList();
        lines.RemoveAt(3); // sequence 3
        await File.WriteAllLinesAsync(path, lines);
        var cut = await _cli.RunAsync("audit", "verify-export", path, "--json");
        using (var doc = JsonDocument.Parse(cut.Out))
        {
            Assert.Equal(1, cut.Code);
            Assert.Equal("incomplete", doc.RootElement.GetProperty("outcome").GetString());
            Assert.False(doc.RootElement.GetProperty("complete").GetBoolean());
            var problem = doc.RootElement.GetProperty("problems")[0];
            Assert.Equal("incomplete", problem.GetProperty("category").GetString());
            Assert.Equal("entries_missing", problem.GetProperty("kind").GetString());
            Assert.Equal(4, problem.GetProperty("sequence").GetInt64());
        }

        var trail = await _cli.RunAsync("audit", "verify-export", path, "--trail", "--json");
        using (var doc = JsonDocument.Parse(trail.Out))
        {
            Assert.Equal(3, trail.Code);
            Assert.Equal("trail", doc.RootElement.GetProperty("mode").GetString());
            Assert.False(doc.RootElement.GetProperty("complete").GetBoolean());
            Assert.Equal("entries_valid", doc.RootElement.GetProperty("outcome").GetString());
        }
    }

    [Fact]
    public async Task TrailAndRollback_ShowRolledBackEntriesOnlyWhenAsked()
    {
        await SeedAsync(6);
        var head = await _cli.RunAsync("audit", "trail", "--resource", "model", "m", "--json", "--limit", "10");
        using var doc = JsonDocument.Parse(head.Out);
        var third = doc.RootElement.GetProperty("entries").EnumerateArray()
            .Single(e => e.GetProperty("entry").GetProperty("sequence").GetInt64() == 3);
        var hash = third.GetProperty("entry").GetProperty("entry_hash").GetString()!;

        var rollback = await _cli.RunAsync("audit", "rollback", "--to-hash", hash, "--actor", "admin", "--reason", "bad import");
        Assert.Equal(0, rollback.Code);
        Assert.StartsWith("rolled back 3 entries", rollback.Out);

        var trail = await _cli.RunAsync("audit", "trail", "--actor", "user_5");
        Assert.Equal("", trail.Out);
        var all = await _cli.RunAsync("audit", "trail", "--actor", "user_5", "--include-rolled-back");
        Assert.Contains("[rolled back]", all.Out);

        var unknown = await _cli.RunAsync("audit", "rollback", "--to-hash", new string('b', 64), "--actor", "admin", "--reason", "x");
        Assert.Equal(2, unknown.Code);
        Assert.Contains("no entry has entry_hash", unknown.Err);
    }

    [Fact]
    public async Task SeveralProcesses_AppendingToOneFile_NeverForkOrLoseEntries()
    {
        await SeedAsync(1);
        const int processes = 3, linesEach = 40;
        var files = Enumerable.Range(0, processes).Select(p => _cli.WriteFile($"p{p}.jsonl", string.Join('\n',
            Enumerable.Range(0, linesEach).Select(i => $$$"""{"action":"UPDATE","actor":"process_{{{p}}}","resource_type":"model","data":{"i":{{{i}}}}}""")))).ToList();

        // --batch-size 1 commits every line on its own, so the processes' writes interleave.
        var running = files.Select(f => _cli.StartProcess("audit", "import", f, "--batch-size", "1")).ToList();
        foreach (var process in running)
        {
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, await process.StandardError.ReadToEndAsync());
        }

        var verify = await _cli.RunAsync("audit", "verify", "--json");
        Assert.Equal(0, verify.Code);
        Assert.Equal(1 + processes * linesEach, JsonDocument.Parse(verify.Out).RootElement.GetProperty("total_entries").GetInt64());
    }

    private async Task SeedAsync(int count, Func<int, string>? actor = null)
    {
        actor ??= i => $"user_{i}";
        var file = _cli.WriteFile($"seed{Guid.NewGuid():N}.jsonl", string.Join('\n', Enumerable.Range(1, count).Select(i =>
            $$$"""{"action":"UPDATE","actor":"{{{actor(i)}}}","resource_type":"model","resource_id":"m","data":{"i":{{{i}}}},"details":{"n":"{{{i}}}"}}""")));
        Assert.Equal(0, (await _cli.RunAsync("audit", "import", file)).Code);
    }
}
