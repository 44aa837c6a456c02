using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MonitorConsole.Audit.Chain;
using MonitorConsole.Audit.Export;
using MonitorConsole.Audit.Queries;
using MonitorConsole.Audit.Tests.Support;
using static MonitorConsole.Audit.Tests.Support.ExportFiles;

namespace MonitorConsole.Audit.Tests;

public sealed class ExportTests
{
    [Fact]
    public async Task JsonExport_HasTheV1ShapeWithDataAsStoredText()
    {
        await using var ledger = new LedgerFixture();
        var entries = await ledger.SeedAsync(3);
        var json = await ExportAsync(ledger, ExportFormat.Json);

        using var doc = JsonDocument.Parse(json);
        Assert.Equal("monitorconsole.audit.v1", doc.RootElement.GetProperty("format").GetString());
        Assert.Equal("2026-01-30T12:00:00", doc.RootElement.GetProperty("exported_at").GetString()![..19]);
        var first = doc.RootElement.GetProperty("entries")[0];
        Assert.Equal(1, first.GetProperty("sequence").GetInt64());
        Assert.Equal(entries[0].Data, first.GetProperty("data").GetString());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("details").ValueKind);
        foreach (var key in new[] { "entry_id", "timestamp", "action", "actor", "resource_type", "resource_id", "data_hash", "previous_hash", "entry_hash" })
            Assert.True(first.TryGetProperty(key, out _), key);
    }

    [Fact]
    public async Task JsonExport_OfTheWholeChain_VerifiesOfflineWithRolledBackEntries()
    {
        await using var ledger = new LedgerFixture();
        var entries = await ledger.SeedAsync(3000);
        await ledger.Rollback.RollbackAsync(entries[2500].EntryHash, "admin", "test");
        var path = Path.Combine(ledger.Folder, "export.json");
        await File.WriteAllTextAsync(path, await ExportAsync(ledger, ExportFormat.Json));

        var verification = await ExportVerifier.VerifyFileAsync(path);

        Assert.Equal("chain", verification.Mode);
        Assert.Equal(ExportOutcomes.CompleteChain, verification.Outcome);
        Assert.True(verification.Complete);
        Assert.Equal(3001, verification.TotalEntries);
    }

    [Fact]
    public async Task JsonExport_EditedAfterExport_FailsOfflineVerificationAtTheEditedEntry()
    {
        await using var ledger = new LedgerFixture();
        await ledger.SeedAsync(20);
        var json = await ExportAsync(ledger, ExportFormat.Json);
        var edited = json.Replace("\"actor\":\"user_3\"", "\"actor\":\"user_9\"", StringComparison.Ordinal);
        Assert.NotEqual(json, edited);
        var path = Path.Combine(ledger.Folder, "edited.json");
        await File.WriteAllTextAsync(path, edited);

        var verification = await ExportVerifier.VerifyFileAsync(path);

        Assert.False(verification.Result.Valid);
        Assert.Equal([3L, 7, 11, 15, 19], verification.Result.InvalidEntries.Select(i => i.Sequence));
    }

    [Fact]
    public async Task JsonExport_WithAnEntryRemovedFromTheMiddle_IsNotACompleteChain_AndNotCalledTampered()
    {
        await using var ledger = new LedgerFixture();
        await ledger.SeedAsync(5);
        var node = JsonNode.Parse(await ExportAsync(ledger, ExportFormat.Json))!;
        node["entries"]!.AsArray().RemoveAt(2);
        var path = await WriteAsync(ledger, "cut.json", node.ToJsonString());

        var verification = await ExportVerifier.VerifyFileAsync(path);

        Assert.Equal(ExportOutcomes.Incomplete, verification.Outcome);
        Assert.False(verification.Complete);
        Assert.Equal(0, verification.TamperingCount);
        var gap = Assert.Single(verification.Problems);
        Assert.Equal(ExportProblemKinds.EntriesMissing, gap.Kind);
        Assert.Equal(4, gap.Sequence);
        Assert.Equal("not a complete chain: sequence jumps from 2 to 4, so 1 entry is missing", gap.Detail);
    }

    [Fact]
    public async Task CsvExport_NeutralisesFormulas_AndStillVerifies()
    {
        await using var ledger = new LedgerFixture();
        await ledger.Writer.AppendAsync(new AuditEntryDraft("=HYPERLINK(\"http://x\")", "+alice", "@model", "-1", "-5", """{"note":"a,b \"q\"\nline"}"""));
        await ledger.Writer.AppendAsync(new AuditEntryDraft("'quoted", "bob", "model"));
        var csv = await ExportAsync(ledger, ExportFormat.Csv);

        var lines = csv.Split("\r\n");
        Assert.Equal(string.Join(',', AuditExporter.Columns), lines[0]);
        Assert.Contains("'=HYPERLINK", csv);
        Assert.Contains(",'+alice,'@model,'-1,'-5,", csv);
        Assert.Contains(",''quoted,", csv);
        var path = Path.Combine(ledger.Folder, "export.csv");
        await File.WriteAllTextAsync(path, csv);
        var verification = await ExportVerifier.VerifyFileAsync(path);
        Assert.Equal("csv", verification.Format);
        Assert.True(verification.Complete, string.Join("; ", verification.Problems.Select(p => p.Detail)));
        Assert.Equal(2, verification.TotalEntries);
    }

    [Fact]
    public async Task TrailExport_HoldsOnlyTheFilteredEntries_AndEachVerifiesOnItsOwn()
    {
        await using var ledger = new LedgerFixture();
        await ledger.SeedAsync(40);
        var json = await ExportAsync(ledger, ExportFormat.Json, TrailFilter.ForActor("user_2"));
        using (var doc = JsonDocument.Parse(json))
        {
            Assert.Equal("trail", doc.RootElement.GetProperty("scope").GetString());
            Assert.Equal("user_2", doc.RootElement.GetProperty("filter").GetProperty("actor").GetString());
            Assert.Equal(10, doc.RootElement.GetProperty("entries").GetArrayLength());
        }
        var path = Path.Combine(ledger.Folder, "trail.json");
        await File.WriteAllTextAsync(path, json);
        var verification = await ExportVerifier.VerifyFileAsync(path, ExportCheckMode.Trail);
        Assert.Equal("trail", verification.Mode);
        Assert.Equal(ExportOutcomes.EntriesValid, verification.Outcome);
        Assert.False(verification.Complete);
        Assert.Equal(10, verification.VerifiedEntries);
    }

    [Fact]
    public async Task OfflineVerification_RefusesAFileThatIsNotAnExport()
    {
        await using var ledger = new LedgerFixture();
        var path = Path.Combine(ledger.Folder, "other.json");
        await File.WriteAllTextAsync(path, """{"format":"something-else","entries":[{"sequence":1}]}""");
        var error = await Assert.ThrowsAsync<AuditOperationException>(() => ExportVerifier.VerifyFileAsync(path));
        Assert.Contains("monitorconsole.audit.v1", error.Message);
    }
}
