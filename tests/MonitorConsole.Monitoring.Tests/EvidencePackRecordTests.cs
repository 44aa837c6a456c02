using System.Security.Cryptography;
using System.Text.Json;
using MonitorConsole.Access;
using MonitorConsole.Audit;
using MonitorConsole.Audit.Evidence;
using MonitorConsole.Audit.Queries;

namespace MonitorConsole.Monitoring.Tests;

/// <summary>Making an evidence pack through the console's operations: who may, and what the ledger records.</summary>
public sealed class EvidencePackRecordTests
{
    [Fact]
    public async Task MakingAPack_RecordsEvidencePackMade_WithTheSha256OfTheZipHandedOver()
    {
        await using var f = new MonitoringFixture();
        await f.Ledger.AppendBatchAsync(Caller.System("svc"), Enumerable.Range(0, 50)
            .Select(i => new AuditEntryDraft("UPDATE", i % 2 == 0 ? "svc" : "batch", "model", $"m{i % 3}", $$"""{"i":{{i}}}""")).ToList());

        await using var pack = await f.Ledger.MakeEvidencePackAsync(Callers.Auditor("olivia"), new TrailFilter { Actor = "batch" });
        using var output = new MemoryStream();
        await pack.CopyToAsync(output);

        var made = Assert.Single((await f.Audit.GetTrailAsync(new TrailFilter { Action = LedgerVocabulary.EvidencePackMadeAction })).Entries).Entry;
        using var data = JsonDocument.Parse(made.Data);
        var root = data.RootElement;
        Assert.Equal("olivia", made.Actor);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(output.ToArray())), root.GetProperty("sha256").GetString());
        Assert.Equal(output.Length, root.GetProperty("bytes").GetInt64());
        Assert.Equal(25, root.GetProperty("entry_count").GetInt64());
        Assert.Equal("trail", root.GetProperty("scope").GetString());
        Assert.Equal("batch", root.GetProperty("filter").GetProperty("actor").GetString());
        Assert.Equal(0, root.GetProperty("checks_failed").GetArrayLength());
        Assert.Equal("olivia", pack.Report.MadeBy);
    }

    [Fact]
    public async Task APack_IsRefusedToAnApiKey_AndToNobody_AndRecordsNothing()
    {
        await using var f = new MonitoringFixture();
        await f.Ledger.AppendBatchAsync(Caller.System("svc"), [new AuditEntryDraft("UPDATE", "svc", "model", "m", "{}")]);

        await Assert.ThrowsAsync<AccessDeniedException>(() =>
            f.Ledger.MakeEvidencePackAsync(Caller.ApiKey("pipeline", ApiKeyScopes.All), null));
        await Assert.ThrowsAsync<AccessDeniedException>(() => f.Ledger.EvidenceScopeAsync(Caller.Anonymous, null));

        Assert.Empty((await f.Audit.GetTrailAsync(new TrailFilter { Action = LedgerVocabulary.EvidencePackMadeAction })).Entries);
    }

    [Fact]
    public void TheEvidenceAction_IsReserved_SoNoCallerCanForgeTheRecordOfAPack()
    {
        Assert.True(LedgerVocabulary.IsReservedLookalike("evidence_pack_made "));
    }
}
