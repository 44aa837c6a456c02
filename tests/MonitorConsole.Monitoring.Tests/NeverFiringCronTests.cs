using Microsoft.Data.Sqlite;
using MonitorConsole.Monitoring.Models;

namespace MonitorConsole.Monitoring.Tests;

/// <summary>A cron with no future firing is refused at save, and one already stored cannot keep the console from starting.</summary>
public sealed class NeverFiringCronTests
{
    [Theory]
    [InlineData("0 0 31 2 *")]
    [InlineData("0 0 0 1 1 ? 2020")]
    public async Task Configure_RefusesACronThatNeverFires_AtItsField_AndSavesNothing(string cron)
    {
        await using var f = new MonitoringFixture();

        var refused = await Assert.ThrowsAsync<MonitoringInputException>(() => f.Models.ConfigureAsync(Callers.Scientist("alice"), new ModelConfigInput
        {
            ModelId = "never", ModelVersion = "1", Schedule = ScheduleKind.Custom, Cron = cron, Features = ["age"],
        }));

        Assert.Equal("schedule_cron", refused.Field);
        Assert.Contains("never runs", refused.Problem);
        Assert.Empty(await f.Models.ListAsync());
        Assert.Equal(0, (await f.Verifier.VerifyAsync()).TotalEntries);
    }

    [Fact]
    public async Task AStoredCronThatNeverFires_DoesNotStopStartUp()
    {
        await using var f = new MonitoringFixture(withScheduler: true);
        await f.CreateModelAsync("good");
        await f.CreateModelAsync("stale");
        // As a configuration saved before crons were checked would be: written straight into the database.
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(f.Folder, "console.db")};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE drift_models SET Schedule = 'Custom', Cron = '0 0 31 2 ?' WHERE ModelId = 'stale'";
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }
        await f.RestartAsync();

        await f.StartHostedServicesAsync();

        Assert.Equal(2, (await f.Models.ListAsync()).Count);
    }
}
