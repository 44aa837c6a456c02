using MonitorConsole.Audit.Chain;
using MonitorConsole.Audit.Tests.Support;

namespace MonitorConsole.Audit.Tests;

public sealed class VerifyTests
{
    [Fact]
    public async Task Verify_ReportsValid_ForAnUntouchedChain()
    {
        await using var ledger = new LedgerFixture();
        await ledger.SeedAsync(50);
        var result = await ledger.Verifier.VerifyAsync();
        Assert.True(result.Valid);
        Assert.Equal(50, result.TotalEntries);
        Assert.Equal(50, result.VerifiedEntries);
        Assert.Empty(result.InvalidEntries);
        Assert.Empty(result.ChainBreaks);
    }

    [Fact]
    public async Task Verify_ReportsValid_ForAnEmptyChain()
    {
        await using var ledger = new LedgerFixture();
        var result = await ledger.Verifier.VerifyAsync();
        Assert.True(result.Valid);
        Assert.Equal(0, result.TotalEntries);
    }

    [Fact]
    public async Task Verify_ReportsProgressUpToTheTotal()
    {
        await using var ledger = new LedgerFixture();
        await ledger.SeedAsync(25_000);
        var reports = new List<VerificationProgress>();
        var progress = new SynchronousProgress<VerificationProgress>(reports.Add);
        await ledger.Verifier.VerifyAsync(progress: progress);
        Assert.Equal(new VerificationProgress(0, 25_000), reports[0]);
        Assert.Contains(reports, r => r.Verified is > 0 and < 25_000 && r.Total == 25_000);
        Assert.Equal(reports.Select(r => r.Verified).Order(), reports.Select(r => r.Verified));
        Assert.Equal(new VerificationProgress(25_000, 25_000), reports[^1]);
    }

    [Fact]
    public async Task Verify_StopsWhenCancelled()
    {
        await using var ledger = new LedgerFixture();
        await ledger.SeedAsync(30_000);
        using var cts = new CancellationTokenSource();
        var progress = new SynchronousProgress<VerificationProgress>(p => { if (p.Verified >= 10_000) cts.Cancel(); });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => ledger.Verifier.VerifyAsync(progress: progress, cancellationToken: cts.Token));
    }

    [Fact]
    public async Task Verify_TimestampRange_ChecksOnlyThatRangeAndItsLinkToTheEntryBefore()
    {
        await using var ledger = new LedgerFixture();
        var entries = await ledger.SeedAsync(20);
        var scope = new VerificationScope(entries[9].Timestamp, entries[14].Timestamp);
        var result = await ledger.Verifier.VerifyAsync(scope);
        Assert.True(result.Valid);
        Assert.Equal(6, result.TotalEntries);
        Assert.Equal(10, result.FirstSequence);
        Assert.Equal(15, result.LastSequence);

        ledger.Tamper("UPDATE audit_entries SET entry_hash = 'ff' || substr(entry_hash, 3) WHERE sequence = 9");
        var broken = await ledger.Verifier.VerifyAsync(scope);
        Assert.False(broken.Valid);
        Assert.Equal(10, Assert.Single(broken.ChainBreaks).Sequence);
    }

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
