using MonitorConsole.Audit.Chain;
using MonitorConsole.Audit.Tests.Support;

namespace MonitorConsole.Audit.Tests;

public sealed class AppendTests
{
    [Fact]
    public async Task Append_FailsAtOnce_AfterTheWriterHasShutDown()
    {
        await using var ledger = new LedgerFixture();
        await ledger.SeedAsync(3);
        await ledger.Writer.DisposeAsync();

        var single = await Assert.ThrowsAsync<AuditOperationException>(
            () => ledger.Writer.AppendAsync(Drafts.Valid).WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("shutting down", single.Message);
        await Assert.ThrowsAsync<AuditOperationException>(
            () => ledger.Writer.AppendStreamAsync(new[] { Drafts.Valid }.ToAsyncEnumerable()).WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(3, await ledger.CountRowsAsync());
    }

    [Fact]
    public async Task Append_FirstEntry_LinksToGenesisAndHashesPerSpec()
    {
        await using var ledger = new LedgerFixture();
        var entry = await ledger.Writer.AppendAsync(new AuditEntryDraft("UPDATE", "alice", "model", "m1",
            """{ "config" : { "threshold" : 0.85 } }""", """{"reason":"tuning"}"""));

        Assert.Equal(1, entry.Sequence);
        Assert.Equal(HashSpec.GenesisHash, entry.PreviousHash);
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$", entry.EntryId);
        Assert.Equal("""{"config":{"threshold":0.85}}""", entry.Data);
        Assert.Equal(HashSpec.ComputeDataHash(entry.Data), entry.DataHash);
        Assert.Equal(HashSpec.ComputeEntryHash(entry), entry.EntryHash);
        Assert.Equal(new DateTime(2026, 1, 30, 12, 0, 0, DateTimeKind.Utc), entry.Timestamp);
    }

    [Fact]
    public async Task Append_LinksEachEntryToThePreviousEntryHash()
    {
        await using var ledger = new LedgerFixture();
        var first = await ledger.Writer.AppendAsync(Drafts.Entry(1));
        var second = await ledger.Writer.AppendAsync(Drafts.Entry(2));
        Assert.Equal(2, second.Sequence);
        Assert.Equal(first.EntryHash, second.PreviousHash);
    }

    [Fact]
    public async Task Append_DefaultsDataToEmptyObjectAndKeepsNullDetails()
    {
        await using var ledger = new LedgerFixture();
        var entry = await ledger.Writer.AppendAsync(new AuditEntryDraft("CREATE", "bob", "dataset"));
        var stored = await ledger.Queries.GetByIdAsync(entry.EntryId);
        Assert.NotNull(stored);
        Assert.Equal("{}", stored.Entry.Data);
        Assert.Null(stored.Entry.Details);
        Assert.Null(stored.Entry.ResourceId);
    }

    [Fact]
    public async Task Append_TimestampsNeverGoBackwards_WhenClockDoes()
    {
        var clock = new SettableClock(new DateTimeOffset(2026, 1, 30, 12, 0, 0, TimeSpan.Zero));
        await using var ledger = new LedgerFixture(clock: clock);
        var first = await ledger.Writer.AppendAsync(Drafts.Entry(1));
        clock.Now = clock.Now.AddMinutes(-5);
        var second = await ledger.Writer.AppendAsync(Drafts.Entry(2));
        Assert.Equal(first.Timestamp, second.Timestamp);
    }

    [Fact]
    public async Task AppendBatch_WritesEveryEntryInOrder()
    {
        await using var ledger = new LedgerFixture();
        var entries = await ledger.SeedAsync(100);
        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), entries.Select(e => e.Sequence));
        Assert.True((await ledger.Verifier.VerifyAsync()).Valid);
    }

    public static TheoryData<AuditEntryDraft, string> BadDrafts => new()
    {
        { new AuditEntryDraft("", "alice", "model"), "action" },
        { new AuditEntryDraft("  ", "alice", "model"), "action" },
        { new AuditEntryDraft("UPDATE", "", "model"), "actor" },
        { new AuditEntryDraft("UPDATE", "alice", ""), "resource_type" },
        { new AuditEntryDraft("UPDATE", "alice", "model", Data: "{not json"), "data" },
        { new AuditEntryDraft("UPDATE", "alice", "model", Details: "[1,"), "details" },
        { new AuditEntryDraft("UPDATE", "alice", "model", Data: "NaN"), "data" },
        { new AuditEntryDraft("UPDATE", "alice", "model", Data: """{"x":1e400}"""), "data.x" },
        { new AuditEntryDraft("UPDATE", "ali\0ce", "model"), "actor" },
        { new AuditEntryDraft("UPDATE", "ali\ud800ce", "model"), "actor" },
        { new AuditEntryDraft("UPDATE", "alice", "model", Data: "{\"a\":\"x\ud800\"}"), "data" },
        { new AuditEntryDraft("UPDATE", "alice", "model", Data: """{"a":"\ud800"}"""), "data.a" },
        { new AuditEntryDraft("UPDATE", "alice", "model", Data: """{"a":"nul\u0000"}"""), "data.a" },
        { new AuditEntryDraft("UPDATE", "alice", "model", Data: new string('[', 100) + new string(']', 100)), "data" },
        { new AuditEntryDraft("ROLLBACK", "alice", "model"), "action" },
        { new AuditEntryDraft(new string('a', 300), "alice", "model"), "action" },
    };

    [Theory]
    [MemberData(nameof(BadDrafts))]
    public async Task Append_RejectsBadInput_NamingTheFieldAndWritingNothing(AuditEntryDraft draft, string field)
    {
        await using var ledger = new LedgerFixture();
        await ledger.SeedAsync(3);
        var error = await Assert.ThrowsAsync<AuditValidationException>(() => ledger.Writer.AppendAsync(draft));
        Assert.Equal(field, error.Field);
        Assert.Equal(3, await ledger.CountRowsAsync());
        Assert.True((await ledger.Verifier.VerifyAsync()).Valid);
    }

    [Fact]
    public async Task Append_RejectsDataOverTheSizeLimit()
    {
        await using var ledger = new LedgerFixture(o => o.MaxJsonBytes = 1000);
        var big = "{\"blob\":\"" + new string('x', 1000) + "\"}";
        var error = await Assert.ThrowsAsync<AuditValidationException>(
            () => ledger.Writer.AppendAsync(new AuditEntryDraft("UPDATE", "alice", "model", Data: big)));
        Assert.Equal("data", error.Field);
        Assert.Contains("1000 bytes", error.Message);
    }

    [Fact]
    public async Task AppendBatch_WritesNothing_WhenOneEntryIsInvalid()
    {
        await using var ledger = new LedgerFixture();
        await ledger.SeedAsync(1);
        var drafts = new[] { Drafts.Entry(1), Drafts.Entry(2), new AuditEntryDraft("UPDATE", "", "model") };
        var error = await Assert.ThrowsAsync<AuditValidationException>(() => ledger.Writer.AppendBatchAsync(drafts));
        Assert.Equal("entries[2].actor", error.Field);
        Assert.Equal(1, await ledger.CountRowsAsync());
    }

    [Fact]
    public async Task AppendStream_RollsBackEverything_WhenALateEntryIsInvalid()
    {
        await using var ledger = new LedgerFixture();
        await ledger.SeedAsync(2);
        static async IAsyncEnumerable<AuditEntryDraft> Drafts500()
        {
            for (var i = 0; i < 500; i++) yield return Drafts.Entry(i);
            yield return new AuditEntryDraft("UPDATE", "alice", "model", Data: "{bad");
            await Task.CompletedTask;
        }
        var error = await Assert.ThrowsAsync<AuditValidationException>(() => ledger.Writer.AppendStreamAsync(Drafts500()));
        Assert.Equal("entries[500].data", error.Field);
        Assert.Equal(2, await ledger.CountRowsAsync());
    }

    [Fact]
    public async Task ConcurrentAppends_FromManyThreads_NeverForkLoseOrDuplicate()
    {
        await using var ledger = new LedgerFixture();
        const int threads = 8, perThread = 60;
        var results = await Task.WhenAll(Enumerable.Range(0, threads).Select(t => Task.Run(async () =>
        {
            var ids = new List<string>();
            for (var i = 0; i < perThread; i++)
                ids.Add((await ledger.Writer.AppendAsync(Drafts.Entry(i, actor: $"thread_{t}"))).EntryId);
            return ids;
        })));

        var acknowledged = results.SelectMany(r => r).ToList();
        Assert.Equal(threads * perThread, acknowledged.Distinct().Count());
        Assert.Equal(threads * perThread, await ledger.CountRowsAsync());
        var verification = await ledger.Verifier.VerifyAsync();
        Assert.True(verification.Valid);
        Assert.Equal(threads * perThread, verification.LastSequence);
        foreach (var id in acknowledged) Assert.NotNull(await ledger.Queries.GetByIdAsync(id));
    }

    [Fact]
    public async Task AppendTriggers_RejectUpdateAndDeleteInTheDatabase()
    {
        await using var ledger = new LedgerFixture();
        await ledger.SeedAsync(2);
        var update = Assert.ThrowsAny<Exception>(() => ledger.Tamper("UPDATE audit_entries SET actor = 'x'", dropTriggers: false));
        Assert.Contains("append-only", update.Message);
        var delete = Assert.ThrowsAny<Exception>(() => ledger.Tamper("DELETE FROM audit_entries", dropTriggers: false));
        Assert.Contains("append-only", delete.Message);
        Assert.Equal(2, await ledger.CountRowsAsync());
    }
}

/// <summary>A caller cannot write an entry that a server database's looser comparison would take for a reserved one.</summary>
public sealed class ReservedLookalikeTests
{
    [Theory]
    [InlineData("ROLLBACK")]
    [InlineData("rollback")]
    [InlineData("ROLLBACK ")]
    [InlineData("Rollback\t")]
    [InlineData("ＲＯＬＬＢＡＣＫ")]
    [InlineData("ledger_export_delivered")]
    [InlineData("LEDGER_BACKED_UP")]
    public async Task Append_RefusesAReservedActionInAnyCaseWidthOrPadding(string action)
    {
        await using var ledger = new Support.LedgerFixture();

        var refused = await Assert.ThrowsAsync<AuditValidationException>(() => ledger.Writer.AppendAsync(new AuditEntryDraft(action, "mallory", "model")));

        Assert.Equal("action", refused.Field);
        Assert.Equal(0, (await ledger.Verifier.VerifyAsync()).TotalEntries);
    }

    [Theory]
    [InlineData("ROLLBACK_REQUESTED")]
    [InlineData("rolled back")]
    public async Task Append_AcceptsActionsThatOnlyResembleReservedOnes(string action)
    {
        await using var ledger = new Support.LedgerFixture();

        var entry = await ledger.Writer.AppendAsync(new AuditEntryDraft(action, "alice", "model"));

        Assert.Equal(action, entry.Action);
    }
}
