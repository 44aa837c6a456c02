using MonitorConsole.Audit.Queries;
using MonitorConsole.Audit.Tests.Support;

namespace MonitorConsole.Audit.Tests;

public sealed class RollbackTests
{
    [Fact]
    public async Task Rollback_AppendsARollbackEntry_AndHidesLaterEntriesFromTrailsAndStatistics()
    {
        await using var ledger = new LedgerFixture();
        var entries = await ledger.SeedAsync(10);

        var result = await ledger.Rollback.RollbackAsync(entries[5].EntryHash, "admin", "bad deploy");

        Assert.True(result.Success);
        Assert.Equal(4, result.RolledBackCount);
        Assert.Equal("ROLLBACK", result.RollbackEntry.Action);
        Assert.Equal(11, result.RollbackEntry.Sequence);
        Assert.Contains(entries[5].EntryHash, result.RollbackEntry.Data);
        Assert.Contains("bad deploy", result.RollbackEntry.Details);
        Assert.Equal(11, await ledger.CountRowsAsync());

        var trail = await ledger.Queries.GetTrailAsync(TrailFilter.All, limit: 100);
        Assert.Equal([11L, 6, 5, 4, 3, 2, 1], trail.Entries.Select(v => v.Entry.Sequence));
        var withRolledBack = await ledger.Queries.GetTrailAsync(TrailFilter.All with { IncludeRolledBack = true }, limit: 100);
        Assert.Equal(11, withRolledBack.Entries.Count);
        Assert.All(withRolledBack.Entries, v => Assert.Equal(v.Entry.Sequence is >= 7 and <= 10, v.RolledBack));

        var stats = await ledger.Queries.GetStatisticsAsync();
        Assert.Equal(7, stats.TotalEntries);
        Assert.Equal(4, stats.RolledBackEntries);
        Assert.Equal(11, stats.ChainLength);

        var verification = await ledger.Verifier.VerifyAsync();
        Assert.True(verification.Valid);
        Assert.Equal(11, verification.TotalEntries);
    }

    [Fact]
    public async Task RolledBackCounts_CountEachEntryOnce_WhenALaterRollbackReachesPastAnEarlierOne()
    {
        await using var ledger = new LedgerFixture();
        var entries = await ledger.SeedAsync(20);
        await ledger.Rollback.RollbackAsync(entries[9].EntryHash, "admin", "first");   // 11..20 rolled back, ROLLBACK at 21
        await ledger.SeedAsync(3);                                                     // 22..24
        var second = await ledger.Rollback.RollbackAsync(entries[4].EntryHash, "admin", "second"); // 6..24, ROLLBACK at 25

        Assert.Equal(19, second.RolledBackCount);
        Assert.Equal(19, (await ledger.Queries.GetSummaryAsync()).RolledBackEntries);
        var stats = await ledger.Queries.GetStatisticsAsync();
        Assert.Equal(19, stats.RolledBackEntries);
        Assert.Equal(25 - 19, stats.TotalEntries);
    }

    [Fact]
    public async Task Rollback_RefusesAnUnknownHash_AndWritesNothing()
    {
        await using var ledger = new LedgerFixture();
        await ledger.SeedAsync(3);
        var error = await Assert.ThrowsAsync<AuditOperationException>(
            () => ledger.Rollback.RollbackAsync(new string('a', 64), "admin", "why"));
        Assert.Contains("no entry has entry_hash", error.Message);
        Assert.Equal(3, await ledger.CountRowsAsync());
    }

    [Fact]
    public async Task Rollback_RefusesWhenTheChainBeforeTheTargetIsBroken()
    {
        await using var ledger = new LedgerFixture();
        var entries = await ledger.SeedAsync(6);
        ledger.Tamper("UPDATE audit_entries SET actor = 'mallory' WHERE sequence = 2");
        var error = await Assert.ThrowsAsync<AuditOperationException>(
            () => ledger.Rollback.RollbackAsync(entries[3].EntryHash, "admin", "why"));
        Assert.Contains("sequence 2", error.Message);
        Assert.Equal(6, await ledger.CountRowsAsync());
    }

    [Fact]
    public async Task Rollback_RefusesATargetThatIsAlreadyRolledBack_OrTheNewestEntry()
    {
        await using var ledger = new LedgerFixture();
        var entries = await ledger.SeedAsync(6);
        var first = await ledger.Rollback.RollbackAsync(entries[2].EntryHash, "admin", "first");

        var rolledBack = await Assert.ThrowsAsync<AuditOperationException>(
            () => ledger.Rollback.RollbackAsync(entries[4].EntryHash, "admin", "again"));
        Assert.Contains("rolled back", rolledBack.Message);
        var newest = await Assert.ThrowsAsync<AuditOperationException>(
            () => ledger.Rollback.RollbackAsync(first.RollbackEntry.EntryHash, "admin", "nothing"));
        Assert.Contains("newest", newest.Message);
        Assert.Equal(7, await ledger.CountRowsAsync());
    }

    [Theory]
    [InlineData("", "admin", "why", "to_hash")]
    [InlineData("zz", "admin", "why", "to_hash")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "", "why", "actor")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "admin", " ", "reason")]
    public async Task Rollback_RejectsMissingArguments_NamingTheField(string hash, string actor, string reason, string field)
    {
        await using var ledger = new LedgerFixture();
        var error = await Assert.ThrowsAsync<AuditValidationException>(() => ledger.Rollback.RollbackAsync(hash, actor, reason));
        Assert.Equal(field, error.Field);
    }
}
