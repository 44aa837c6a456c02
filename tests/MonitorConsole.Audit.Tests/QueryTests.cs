using MonitorConsole.Audit.Queries;
using MonitorConsole.Audit.Tests.Support;

namespace MonitorConsole.Audit.Tests;

public sealed class QueryTests
{
    [Fact]
    public async Task GetById_ReturnsTheEntry_AndNullForAnUnknownId()
    {
        await using var ledger = new LedgerFixture();
        var entries = await ledger.SeedAsync(5);
        var found = await ledger.Queries.GetByIdAsync(entries[2].EntryId);
        Assert.Equal(entries[2].EntryHash, found!.Entry.EntryHash);
        Assert.Null(await ledger.Queries.GetByIdAsync(Guid.NewGuid().ToString()));
    }

    [Fact]
    public async Task ActorTrail_IsNewestFirst_AndKeysetPaged()
    {
        await using var ledger = new LedgerFixture();
        await ledger.SeedAsync(40);
        var filter = TrailFilter.ForActor("user_1");
        var first = await ledger.Queries.GetTrailAsync(filter, limit: 4);
        var second = await ledger.Queries.GetTrailAsync(filter, first.NextCursor, limit: 4);
        var rest = await ledger.Queries.GetTrailAsync(filter, second.NextCursor, limit: 100);

        var all = first.Entries.Concat(second.Entries).Concat(rest.Entries).Select(v => v.Entry).ToList();
        Assert.Equal(10, all.Count);
        Assert.All(all, e => Assert.Equal("user_1", e.Actor));
        Assert.Equal(all.Select(e => e.Sequence).OrderDescending(), all.Select(e => e.Sequence));
        Assert.Null(rest.NextCursor);
    }

    [Fact]
    public async Task ResourceTrail_FiltersByActionAndTimeRange()
    {
        await using var ledger = new LedgerFixture();
        var entries = await ledger.SeedAsync(60);
        var filter = TrailFilter.ForResource("model", "model_2") with
        {
            Action = "DEPLOY",
            From = entries[9].Timestamp,
            To = entries[49].Timestamp,
        };
        var page = await ledger.Queries.GetTrailAsync(filter, limit: 100);
        var expected = entries.Where(e => e.ResourceId == "model_2" && e.Action == "DEPLOY" && e.Sequence is >= 10 and <= 50)
            .Select(e => e.Sequence).OrderDescending();
        Assert.Equal(expected, page.Entries.Select(v => v.Entry.Sequence));
        Assert.NotEmpty(page.Entries);
    }

    [Fact]
    public async Task Trail_RejectsAnInvertedTimeRangeAndABadLimit()
    {
        await using var ledger = new LedgerFixture();
        var now = DateTime.UtcNow;
        var inverted = await Assert.ThrowsAsync<AuditValidationException>(() =>
            ledger.Queries.GetTrailAsync(TrailFilter.All with { From = now, To = now.AddDays(-1) }));
        Assert.Equal("from", inverted.Field);
        var limit = await Assert.ThrowsAsync<AuditValidationException>(() => ledger.Queries.GetTrailAsync(TrailFilter.All, limit: 0));
        Assert.Equal("limit", limit.Field);
    }

    [Fact]
    public async Task Statistics_CountEntriesActorsActionsAndDays()
    {
        await using var ledger = new LedgerFixture();
        await ledger.SeedAsync(12);
        ledger.Clock.Advance(TimeSpan.FromDays(1));
        await ledger.SeedAsync(3);

        var stats = await ledger.Queries.GetStatisticsAsync();

        Assert.Equal(15, stats.TotalEntries);
        Assert.Equal(4, stats.UniqueActors);
        Assert.Equal(5, stats.ActionCounts["DEPLOY"]);
        Assert.Equal(10, stats.ActionCounts["UPDATE"]);
        Assert.Equal(new Dictionary<string, long> { ["2026-01-30"] = 12, ["2026-01-31"] = 3 }, stats.EntriesPerDay);
        Assert.Equal(new DateTime(2026, 1, 30, 12, 0, 0, DateTimeKind.Utc), stats.FirstTimestamp);
        Assert.True(stats.LastTimestamp > stats.FirstTimestamp);
    }
}

public sealed class SummaryTests
{
    [Fact]
    public async Task Summary_GivesLengthNewestEntryAndRolledBackCount_WithoutScanning()
    {
        await using var ledger = new LedgerFixture();
        Assert.Equal(new LedgerSummary(0, null, null, 0), await ledger.Queries.GetSummaryAsync());
        var entries = await ledger.SeedAsync(8);
        var rollback = await ledger.Rollback.RollbackAsync(entries[4].EntryHash, "admin", "test");
        var summary = await ledger.Queries.GetSummaryAsync();
        Assert.Equal(new LedgerSummary(9, rollback.RollbackEntry.Timestamp, rollback.RollbackEntry.EntryHash, 3), summary);
    }
}

public sealed class SearchQueryTests
{
    [Fact]
    public async Task Search_MatchesAnyCase_TypeSlashId_AndWordsInDataAndDetails_IndexedOrNot()
    {
        await using var ledger = new LedgerFixture();
        await SearchScenario.RunAsync(ledger);
    }

    [Theory]
    [InlineData("model", "model", null)]
    [InlineData(" model / credit_risk ", "model", "credit_risk")]
    [InlineData("model/", "model", null)]
    [InlineData("run/a/b", "run", "a/b")]
    public void WithResource_ReadsTypeAndId(string typed, string type, string? id)
    {
        var filter = TrailFilter.All.WithResource(typed);
        Assert.Equal((type, id), (filter.ResourceType, filter.ResourceId));
    }

    [Fact]
    public async Task Search_RefusesAQueryWithNoWord_AndAResourceWithNoType()
    {
        await using var ledger = new LedgerFixture();
        Assert.Equal("q", (await Assert.ThrowsAsync<AuditValidationException>(() => ledger.Queries.GetTrailAsync(new TrailFilter { Text = "- !" }))).Field);
        Assert.Equal("resource", Assert.Throws<AuditValidationException>(() => TrailFilter.All.WithResource("/x")).Field);
    }

    [Fact]
    public async Task Indexer_RunTwiceAtOnce_IndexesEachEntryOnce()
    {
        await using var ledger = new LedgerFixture(o => o.Search.BatchSize = 7);
        await ledger.SeedAsync(100);
        var both = await Task.WhenAll(ledger.Search.CatchUpAsync(), ledger.Search.CatchUpAsync());
        Assert.Equal(100, both.Sum());
        Assert.Equal(25, await ledger.Queries.CountAsync(new TrailFilter { Text = "reason test", Actor = "USER_0" }));
    }
}
