using MonitorConsole.Monitoring.Models;
using MonitorConsole.Monitoring.Runs;

namespace MonitorConsole.Monitoring.Tests;

public sealed class SchedulerTests
{
    [Fact]
    public async Task RealQuartzScheduler_FiresAModelOnAShortCronInterval()
    {
        await using var f = new MonitoringFixture(withScheduler: true, clock: TimeProvider.System);
        await f.StartHostedServicesAsync();
        await f.Models.ConfigureAsync(new ModelConfigInput
        {
            ModelId = "every_second", ModelVersion = "1", Schedule = ScheduleKind.Custom, Cron = "* * * * * ?", Features = ["age", "income"],
        }, "alice");
        await f.Models.ReplaceBaselineAsync("every_second", MonitoringFixture.Csv(Data.Baseline()), "alice");
        await f.Observations.IngestAsync("every_second", Data.Rows(50));

        // Wait for the scheduler's own thread to run the check (bounded: the trigger fires every second).
        var deadline = DateTime.UtcNow.AddSeconds(15);
        IReadOnlyList<DriftRun> runs = [];
        while (DateTime.UtcNow < deadline)
        {
            runs = await f.History.HistoryAsync(new HistoryFilter("every_second"));
            if (runs.Any(r => r.Trigger == "scheduled" && r.Status == RunStatus.Completed)) break;
            await Task.Delay(200);
        }
        Assert.Contains(runs, r => r.Trigger == "scheduled" && r.Status == RunStatus.Completed);
    }
}
