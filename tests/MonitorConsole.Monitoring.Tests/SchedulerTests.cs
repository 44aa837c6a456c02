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
        await f.Models.ConfigureAsync(Callers.Scientist("alice"), new ModelConfigInput
        {
            ModelId = "every_second", ModelVersion = "1", Schedule = ScheduleKind.Custom, Cron = "* * * * * ?", Features = ["age", "income"],
        });
        await f.Models.ReplaceBaselineAsync(Callers.Scientist("alice"), "every_second", MonitoringFixture.Csv(Data.Baseline()));
        await f.Observations.IngestAsync(Callers.Scientist("alice"), "every_second", Data.Rows(50));

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

public sealed class MissedSlotTests
{
    [Fact]
    public async Task AfterDowntime_AMissedSlotRunsOnce_NotOncePerMissedSlot()
    {
        await using var f = new MonitoringFixture(withScheduler: true);
        await f.CreateModelAsync();
        await f.Models.ConfigureAsync(Callers.Scientist("alice"), new ModelConfigInput { ModelId = "credit_risk", ModelVersion = "2.1.0", Schedule = ScheduleKind.Hourly, Features = ["age", "income"] });
        await f.Observations.IngestAsync(Callers.Scientist("alice"), "credit_risk", Data.Rows(200));

        // The host is down from 09:00 to 12:30: the 10:00, 11:00 and 12:00 slots pass unseen.
        f.Clock.Advance(TimeSpan.FromHours(3.5));
        await f.RestartAsync();
        await f.StartHostedServicesAsync();

        var deadline = DateTime.UtcNow.AddSeconds(15);
        IReadOnlyList<DriftRun> runs = [];
        while (DateTime.UtcNow < deadline && runs.Count == 0)
        {
            await Task.Delay(100);
            runs = await f.History.HistoryAsync(new HistoryFilter("credit_risk"));
        }
        await Task.Delay(1000); // room for any further catch-up run to show up, which must not happen
        runs = await f.History.HistoryAsync(new HistoryFilter("credit_risk"));
        var run = Assert.Single(runs);
        Assert.Equal("scheduled", run.Trigger);
        Assert.Equal(new DateTime(2026, 3, 2, 12, 0, 0, DateTimeKind.Utc), run.ScheduledFor);
    }
}
