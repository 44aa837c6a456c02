using System.Text.Json;
using MonitorConsole.Audit.Queries;
using MonitorConsole.Monitoring.Models;

namespace MonitorConsole.Monitoring.Tests;

public sealed class ModelConfigTests
{
    [Fact]
    public async Task EveryConfigurationChange_IsALedgerEntryWithTheActingUser()
    {
        await using var f = new MonitoringFixture();
        await f.CreateModelAsync();
        await f.Models.ConfigureAsync(Callers.Scientist("bob"), new ModelConfigInput { ModelId = "credit_risk", ModelVersion = "2.2.0", Schedule = ScheduleKind.Hourly, Features = ["age"] });
        await f.Models.SetEnabledAsync(Callers.Scientist("carol"), "credit_risk", false);
        await f.Models.SetEnabledAsync(Callers.Scientist("carol"), "credit_risk", true);
        await f.Models.DeleteAsync(Callers.Scientist("dave"), "credit_risk");

        var trail = await f.Audit.GetTrailAsync(TrailFilter.ForResource("model", "credit_risk"), limit: 20);
        Assert.Equal(
            ["MODEL_DELETED:dave", "MODEL_ENABLED:carol", "MODEL_DISABLED:carol", "MODEL_UPDATED:bob", "BASELINE_REPLACED:alice", "MODEL_CREATED:alice"],
            trail.Entries.Select(v => $"{v.Entry.Action}:{v.Entry.Actor}"));
        using var created = JsonDocument.Parse(trail.Entries[^1].Entry.Data);
        Assert.Equal("DAILY", created.RootElement.GetProperty("schedule").GetString());
        Assert.Null(await f.Models.GetAsync("credit_risk"));
    }

    [Fact]
    public async Task ModelUpdated_RecordsBeforeAndAfterOfEachChangedField_AndNothingElse()
    {
        await using var f = new MonitoringFixture();
        await f.CreateModelAsync();
        await f.Models.ConfigureAsync(Callers.Scientist("bob"), new ModelConfigInput
        {
            ModelId = "credit_risk", ModelVersion = "2.2.0", Schedule = ScheduleKind.Daily, Features = ["age", "income"],
            Thresholds = Drift.DriftThresholds.Default with { PsiCritical = 0.3 },
        });

        var entry = (await f.Audit.GetTrailAsync(TrailFilter.ForResource("model", "credit_risk"), limit: 1)).Entries[0].Entry;
        using var data = JsonDocument.Parse(entry.Data);
        var changes = data.RootElement.GetProperty("changes");
        Assert.Equal(["model_version", "thresholds.psi_critical"], changes.EnumerateObject().Select(c => c.Name).Order());
        Assert.Equal(("2.1.0", "2.2.0"), (changes.GetProperty("model_version").GetProperty("before").GetString(), changes.GetProperty("model_version").GetProperty("after").GetString()));
        Assert.Equal((0.25, 0.3), (changes.GetProperty("thresholds.psi_critical").GetProperty("before").GetDouble(), changes.GetProperty("thresholds.psi_critical").GetProperty("after").GetDouble()));
        Assert.Equal("2.2.0", data.RootElement.GetProperty("model_version").GetString());
    }

    [Fact]
    public async Task ModelChanges_AreNotApplied_WhenTheirLedgerEntryCannotBeWritten()
    {
        await using var f = new MonitoringFixture();
        await f.CreateModelAsync();
        var before = (await f.Audit.GetSummaryAsync()).ChainLength;
        await RefuseLedgerWritesAsync(f);

        var scientist = Callers.Scientist("bob");
        await Assert.ThrowsAnyAsync<Exception>(() => f.Models.ConfigureAsync(scientist,
            new ModelConfigInput { ModelId = "credit_risk", ModelVersion = "9.9.9", Schedule = ScheduleKind.Hourly, Features = ["age"] }));
        await Assert.ThrowsAnyAsync<Exception>(() => f.Models.ConfigureAsync(scientist,
            new ModelConfigInput { ModelId = "fraud", ModelVersion = "1", Features = ["age"] }));
        await Assert.ThrowsAnyAsync<Exception>(() => f.Models.SetEnabledAsync(scientist, "credit_risk", false));
        await Assert.ThrowsAnyAsync<Exception>(() => f.Models.ReplaceBaselineAsync(scientist, "credit_risk",
            MonitoringFixture.Csv("age,income,score\n30,1000,0.5\n40,2000,0.7\n")));
        await Assert.ThrowsAnyAsync<Exception>(() => f.Models.DeleteAsync(scientist, "credit_risk"));

        var model = await f.Models.GetAsync("credit_risk");
        Assert.NotNull(model);
        Assert.Equal("2.1.0", model.ModelVersion);
        Assert.True(model.Enabled);
        Assert.DoesNotContain("score", await f.Models.BaselineColumnsAsync("credit_risk"));
        Assert.Null(await f.Models.GetAsync("fraud"));
        Assert.Equal(before, (await f.Audit.GetSummaryAsync()).ChainLength);
    }

    /// <summary>Makes every insert into the ledger fail, as a crash between the record and the change would.</summary>
    internal static async Task RefuseLedgerWritesAsync(MonitoringFixture f)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(f.Folder, "console.db")}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "CREATE TRIGGER refuse_ledger_writes BEFORE INSERT ON audit_entries BEGIN SELECT RAISE(ABORT, 'ledger unavailable'); END;";
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task Baseline_IsSummarised_AndFeaturesMustBeItsColumns()
    {
        await using var f = new MonitoringFixture();
        await f.Models.ConfigureAsync(Callers.Scientist("alice"), new ModelConfigInput { ModelId = "m", ModelVersion = "1", Features = ["age", "income"] });
        var summary = await f.Models.ReplaceBaselineAsync(Callers.Scientist("alice"), "m", MonitoringFixture.Csv("age,income,segment\n30,100,a\n,200,b\n"));
        Assert.Equal(2, summary.Rows);
        Assert.Equal(["age:numeric:0.5", "income:numeric:0", "segment:categorical:0"],
            summary.Columns.Select(c => $"{c.Name}:{c.Type}:{c.MissingShare}"));

        var error = await Assert.ThrowsAsync<MonitoringInputException>(() =>
            f.Models.ConfigureAsync(Callers.Scientist("alice"), new ModelConfigInput { ModelId = "m", ModelVersion = "1", Features = ["height"] }));
        Assert.Equal("features", error.Field);
    }

    public static TheoryData<ModelConfigInput, string> BadConfigs => new()
    {
        { new ModelConfigInput { ModelId = "", ModelVersion = "1" }, "model_id" },
        { new ModelConfigInput { ModelId = "has space", ModelVersion = "1" }, "model_id" },
        { new ModelConfigInput { ModelId = "m", ModelVersion = "" }, "model_version" },
        { new ModelConfigInput { ModelId = "m", ModelVersion = "1", Schedule = ScheduleKind.Custom, Cron = "every day" }, "schedule_cron" },
        { new ModelConfigInput { ModelId = "m", ModelVersion = "1", Schedule = ScheduleKind.Custom }, "schedule_cron" },
        { new ModelConfigInput { ModelId = "m", ModelVersion = "1", TimeZone = "Nowhere/City" }, "time_zone" },
        { new ModelConfigInput { ModelId = "m", ModelVersion = "1", Thresholds = new Drift.DriftThresholds { PsiWarning = -1 } }, "thresholds.psi_warning" },
        { new ModelConfigInput { ModelId = "m", ModelVersion = "1", Webhooks = ["not a url"] }, "webhooks" },
        { new ModelConfigInput { ModelId = "m", ModelVersion = "1", TrailingWindowHours = 0 }, "trailing_window_hours" },
    };

    [Theory]
    [MemberData(nameof(BadConfigs))]
    public async Task BadConfiguration_IsRefused_NamingTheField_AndNothingIsSaved(ModelConfigInput input, string field)
    {
        await using var f = new MonitoringFixture();
        var error = await Assert.ThrowsAsync<MonitoringInputException>(() => f.Models.ConfigureAsync(Callers.Scientist("alice"), input));
        Assert.Equal(field, error.Field);
        Assert.Empty(await f.Models.ListAsync());
    }

    [Fact]
    public async Task HttpWebhook_IsRefused_UnlessConfigurationAllowsIt()
    {
        await using var f = new MonitoringFixture(o => o.AllowInsecureWebhooks = false);
        var error = await Assert.ThrowsAsync<MonitoringInputException>(() => f.Models.ConfigureAsync(Callers.Scientist("alice"), new ModelConfigInput { ModelId = "m", ModelVersion = "1", Webhooks = ["http://example.test/hook"] }));
        Assert.Contains("https", error.Message);
    }

    [Fact]
    public async Task Restart_KeepsConfigurationsAndHistory()
    {
        await using var f = new MonitoringFixture();
        await f.CreateModelAsync();
        await f.Runner.RunNowAsync(Callers.Scientist("alice"), "credit_risk", Data.Rows(100));
        await f.RestartAsync();
        Assert.Equal("credit_risk", Assert.Single(await f.Models.ListAsync()).ModelId);
        Assert.Single(await f.History.HistoryAsync(new Runs.HistoryFilter("credit_risk")));
    }
}
