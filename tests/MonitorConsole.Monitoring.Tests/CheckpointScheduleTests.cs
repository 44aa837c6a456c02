using Microsoft.Extensions.DependencyInjection;
using MonitorConsole.Monitoring.Access;
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
}
