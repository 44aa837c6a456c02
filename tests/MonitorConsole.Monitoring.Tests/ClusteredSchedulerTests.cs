using MonitorConsole.Monitoring.Models;
using MonitorConsole.Tests.Shared;

namespace MonitorConsole.Monitoring.Tests;

/// <summary>Two schedulers on one server database: Quartz's clustered store runs each slot once in the cluster.</summary>
public sealed class ClusteredSchedulerTests
{
    [Theory]
    [InlineData(ServerDatabase.PostgreSql)]
    [InlineData(ServerDatabase.MySql)]
    public async Task TwoNodesOnOneServerDatabase_RunEachScheduledSlotOnce(string server)
    {
        await using ServerDatabase database = server == ServerDatabase.MySql ? await MySqlDatabase.CreateAsync() : await PostgresDatabase.CreateAsync();
        await using var first = new MonitoringFixture(withScheduler: true, clock: TimeProvider.System, database: database.Database);
        await first.StartHostedServicesAsync();
        await using var second = new MonitoringFixture(withScheduler: true, clock: TimeProvider.System, database: database.Database);
        await second.StartHostedServicesAsync();
        await first.Models.ConfigureAsync(Callers.Scientist("alice"), new ModelConfigInput
        {
            ModelId = "every_second", ModelVersion = "1", Schedule = ScheduleKind.Custom, Cron = "* * * * * ?", Features = ["age", "income"],
        });
        await first.Models.ReplaceBaselineAsync(Callers.Scientist("alice"), "every_second", MonitoringFixture.Csv(Data.Baseline()));
        await first.Observations.IngestAsync(Callers.Scientist("alice"), "every_second", Data.Rows(50));

        // Both nodes picked the model up from the shared store; wait (bounded) until several slots have fired.
        long scheduled = 0;
        for (var deadline = DateTime.UtcNow.AddSeconds(60); scheduled < 5 && DateTime.UtcNow < deadline; await Task.Delay(500))
            scheduled = Convert.ToInt64(await database.SqlAsync("SELECT COUNT(*) FROM drift_runs WHERE Trigger = 'scheduled'".Replace("Trigger", Quoted(server, "Trigger"))));
        var duplicated = Convert.ToInt64(await database.SqlAsync(
            $"SELECT COUNT(*) FROM (SELECT {Quoted(server, "ScheduledFor")} FROM drift_runs WHERE {Quoted(server, "Trigger")} = 'scheduled' GROUP BY {Quoted(server, "ScheduledFor")} HAVING COUNT(*) > 1) d"));
        var nodes = Convert.ToInt64(await database.SqlAsync($"SELECT COUNT(*) FROM {(server == ServerDatabase.MySql ? "QRTZ_SCHEDULER_STATE" : "qrtz_scheduler_state")}"));

        Assert.True(scheduled >= 5, $"only {scheduled} scheduled runs in a minute");
        Assert.Equal(0, duplicated);
        Assert.Equal(2, nodes);
    }

    [Theory]
    [InlineData(ServerDatabase.PostgreSql)]
    [InlineData(ServerDatabase.MySql)]
    public async Task TwoNodesStartingTogether_CatchUpAMissedSlotOnce(string server)
    {
        await using ServerDatabase database = server == ServerDatabase.MySql ? await MySqlDatabase.CreateAsync() : await PostgresDatabase.CreateAsync();
        await using (var setup = new MonitoringFixture(clock: TimeProvider.System, database: database.Database))
        {
            await setup.Models.ConfigureAsync(Callers.Scientist("alice"), new ModelConfigInput
            {
                ModelId = "hourly_model", ModelVersion = "1", Schedule = ScheduleKind.Hourly, Features = ["age", "income"],
            });
        }
        // Configured three hours ago and never run since: at least one hourly slot passed while no node was up.
        await database.SqlAsync($"UPDATE drift_models SET {Quoted(server, "UpdatedAt")} = {(server == ServerDatabase.MySql ? "UTC_TIMESTAMP(6) - INTERVAL 3 HOUR" : "(now() at time zone 'utc') - interval '3 hours'")}");

        await using var first = new MonitoringFixture(withScheduler: true, clock: TimeProvider.System, database: database.Database);
        await using var second = new MonitoringFixture(withScheduler: true, clock: TimeProvider.System, database: database.Database);
        await Task.WhenAll(first.StartHostedServicesAsync(), second.StartHostedServicesAsync());

        var sql = $"SELECT COUNT(*) FROM drift_runs WHERE {Quoted(server, "Trigger")} = 'scheduled'";
        long runs = 0;
        for (var deadline = DateTime.UtcNow.AddSeconds(30); runs == 0 && DateTime.UtcNow < deadline; await Task.Delay(250))
            runs = Convert.ToInt64(await database.SqlAsync(sql));
        // Give a second catch-up, had either node scheduled one, time to start (both nodes poll every second or so).
        await Task.Delay(TimeSpan.FromSeconds(5));
        runs = Convert.ToInt64(await database.SqlAsync(sql));

        Assert.Equal(1, runs);
    }

    private static string Quoted(string server, string column) => server == ServerDatabase.MySql ? $"`{column}`" : $"\"{column}\"";
}
