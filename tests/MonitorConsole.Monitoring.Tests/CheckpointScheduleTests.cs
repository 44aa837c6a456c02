using Microsoft.Extensions.DependencyInjection;
using MonitorConsole.Access;
using MonitorConsole.Monitoring.Scheduling;

namespace MonitorConsole.Monitoring.Tests;

public sealed class CheckpointScheduleTests
{
    [Fact]
    public async Task TheSchedule_SignsOnlyWhenTheChainHasGrown()
    {
        await using var f = new MonitoringFixture();
        await using var scope = f.CreateScope();
        var schedule = ActivatorUtilities.CreateInstance<CheckpointSchedule>(scope.ServiceProvider);
        await f.Ledger.AppendAsync(Caller.System("svc"), new Audit.AuditEntryDraft("A", "svc", "t", null, null));
        Assert.Equal(1, (await schedule.MakeIfGrownAsync(CancellationToken.None))!.TreeSize);
        Assert.Null(await schedule.MakeIfGrownAsync(CancellationToken.None));
        await f.Ledger.AppendAsync(Caller.System("svc"), new Audit.AuditEntryDraft("B", "svc", "t", null, null));
        Assert.Equal(2, (await schedule.MakeIfGrownAsync(CancellationToken.None))!.TreeSize);
    }

    [Fact]
    public async Task OnStart_TheProofsBlockCacheIsFilledInTheBackground()
    {
        await using var f = new MonitoringFixture();
        await using var scope = f.CreateScope();
        var writer = scope.ServiceProvider.GetRequiredService<Audit.Chain.AuditWriter>();
        await writer.AppendBatchAsync(Enumerable.Range(0, Audit.Merkle.MerkleBlockCache.BlockLeaves + 5)
            .Select(i => new Audit.AuditEntryDraft("A", "svc", "t", $"r{i}", null)).ToList());
        var proofs = scope.ServiceProvider.GetRequiredService<Audit.Merkle.LedgerProofs>();
        Assert.Equal(0, proofs.CachedBlocks);

        var schedule = ActivatorUtilities.CreateInstance<CheckpointSchedule>(scope.ServiceProvider);
        await schedule.StartAsync(TestContext.Current.CancellationToken);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (proofs.CachedBlocks == 0 && DateTime.UtcNow < deadline) await Task.Delay(50, TestContext.Current.CancellationToken);
        await schedule.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, proofs.CachedBlocks);
    }
}
