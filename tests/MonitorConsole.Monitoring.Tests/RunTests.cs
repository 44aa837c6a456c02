using System.Text.Json;
using MonitorConsole.Audit.Queries;
using MonitorConsole.Monitoring.Models;
using MonitorConsole.Monitoring.Runs;

namespace MonitorConsole.Monitoring.Tests;

public sealed class RunTests
{
    [Fact]
    public async Task ManualRun_OnSimilarData_IsCompletedAndNormal_WithEveryFeatureMetricStored()
    {
        await using var f = new MonitoringFixture();
        await f.CreateModelAsync();
        var run = await f.Runner.RunNowAsync(Callers.Scientist("alice"), "credit_risk", Data.Rows(200));

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal("NORMAL", run.AlertLevel);
        Assert.False(run.AlertGenerated);
        var report = await f.Reports.ReportAsync("credit_risk", run.CheckId);
        Assert.Equal(["", "age", "income"], report!.Features.Select(s => s.Feature));
        Assert.All(report.Features.Skip(1), s => Assert.True(s.Metrics.ContainsKey("ks_p_value")));
    }

    [Fact]
    public async Task DriftedRun_AppendsADriftAlertToTheLedger_AndPostsTheWebhook()
    {
        using var receiver = new WebhookReceiver();
        await using var f = new MonitoringFixture();
        await f.CreateModelAsync(webhooks: [receiver.Url]);
        var run = await f.Runner.RunNowAsync(Callers.Scientist("alice"), "credit_risk", Data.Rows(200, ageShift: 15));
        await f.Deliveries.DeliverDueAsync();

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal("CRITICAL", run.AlertLevel);
        Assert.True(run.AlertGenerated);

        var alert = Assert.Single((await f.Audit.GetTrailAsync(TrailFilter.ForResource("model", "credit_risk") with { Action = "DRIFT_ALERT" })).Entries).Entry;
        Assert.Equal("drift_scheduler", alert.Actor);
        using var data = JsonDocument.Parse(alert.Data);
        Assert.Equal("CRITICAL", data.RootElement.GetProperty("overall_status").GetString());
        Assert.Equal(run.CheckId, data.RootElement.GetProperty("check_id").GetString());

        using var body = JsonDocument.Parse(Assert.Single(receiver.Bodies));
        Assert.StartsWith("Drift CRITICAL on model credit_risk", body.RootElement.GetProperty("text").GetString());
    }

    [Fact]
    public async Task DisabledModel_RunIsSkipped()
    {
        await using var f = new MonitoringFixture();
        await f.CreateModelAsync();
        await f.Models.SetEnabledAsync(Callers.Scientist("alice"), "credit_risk", false);
        Assert.Equal(RunStatus.Skipped, (await f.Runner.RunScheduledAsync("credit_risk", null)).Status);
    }

    [Fact]
    public async Task RunWithBadData_IsFailedWithTheReason()
    {
        await using var f = new MonitoringFixture();
        await f.CreateModelAsync();
        var missing = await f.Runner.RunNowAsync(Callers.Scientist("alice"), "credit_risk", new Ingestion.ObservationBatch(
            new Dictionary<string, string?[]> { ["age"] = ["30", "31"] }, [], []));
        Assert.Equal(RunStatus.Failed, missing.Status);
        Assert.Equal("income: is monitored but missing from the current data", missing.ErrorMessage);

        var text = await f.Runner.RunNowAsync(Callers.Scientist("alice"), "credit_risk", new Ingestion.ObservationBatch(
            new Dictionary<string, string?[]> { ["age"] = ["30", "old"], ["income"] = ["1", "2"] }, [], []));
        Assert.Contains("'old'", text.ErrorMessage);
    }

    [Fact]
    public async Task ModelWithoutBaseline_RunIsFailedSayingSo()
    {
        await using var f = new MonitoringFixture();
        await f.Models.ConfigureAsync(Callers.Scientist("alice"), new ModelConfigInput { ModelId = "fresh", ModelVersion = "1" });
        var run = await f.Runner.RunNowAsync(Callers.Scientist("alice"), "fresh", Data.Rows(10));
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("has no baseline", run.ErrorMessage);
    }

    [Fact]
    public async Task RunPastItsTimeout_IsFailedWithTheTimeoutMessage()
    {
        await using var f = new MonitoringFixture(o => o.RunTimeout = TimeSpan.Zero);
        await f.CreateModelAsync();
        var run = await f.Runner.RunNowAsync(Callers.Scientist("alice"), "credit_risk", Data.Rows(100));
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal("Drift check timeout after 0 seconds", run.ErrorMessage);
    }

    [Fact]
    public async Task ScheduledRun_UsesTheObservationsThatArrivedSinceThePreviousRun()
    {
        await using var f = new MonitoringFixture();
        await f.CreateModelAsync();
        await f.Observations.IngestAsync(Callers.Scientist("alice"), "credit_risk", Data.Rows(150, ageShift: 15));
        f.Clock.Advance(TimeSpan.FromHours(1));
        var first = await f.Runner.RunScheduledAsync("credit_risk", null);
        Assert.Equal("CRITICAL", first.AlertLevel);
        Assert.Equal(150, JsonDocument.Parse(first.MetricsJson).RootElement.GetProperty("rows").GetInt32());

        f.Clock.Advance(TimeSpan.FromHours(1));
        var empty = await f.Runner.RunScheduledAsync("credit_risk", null);
        Assert.Equal(RunStatus.Failed, empty.Status);
        Assert.Contains("no data arrived", empty.ErrorMessage);

        await f.Observations.IngestJsonAsync(Callers.Scientist("alice"), "credit_risk", JsonDocument.Parse(
            """{"rows":[{"age":30,"income":40000},{"age":31,"income":41000},{"age":45,"income":50000}],"safety_events":[{"event_type":"pii_leak","severity":"HIGH"}]}""").RootElement);
        f.Clock.Advance(TimeSpan.FromHours(1));
        var third = await f.Runner.RunScheduledAsync("credit_risk", null);
        Assert.Equal(RunStatus.Completed, third.Status);
        Assert.Equal(3, JsonDocument.Parse(third.MetricsJson).RootElement.GetProperty("rows").GetInt32());
    }

    [Fact]
    public async Task Ingestion_RejectsBadBatches_NamingTheField()
    {
        await using var f = new MonitoringFixture();
        await f.CreateModelAsync();
        var bad = await Assert.ThrowsAsync<MonitoringInputException>(() => f.Observations.IngestJsonAsync(Callers.Scientist("alice"), "credit_risk", JsonDocument.Parse("""{"rows":[{"age":{"nested":1}}]}""").RootElement));
        Assert.Equal("rows[0].age", bad.Field);
        var severity = await Assert.ThrowsAsync<MonitoringInputException>(() => f.Observations.IngestJsonAsync(Callers.Scientist("alice"), "credit_risk", JsonDocument.Parse("""{"safety_events":[{"event_type":"x","severity":"APOCALYPTIC"}]}""").RootElement));
        Assert.Equal("safety_events[0].severity", severity.Field);
        await Assert.ThrowsAsync<ModelNotFoundException>(() => f.Observations.IngestAsync(Callers.Scientist("alice"), "nope", Data.Rows(1)));
    }

    [Fact]
    public async Task Statistics_CountRunsAlertsAndSuccessRate()
    {
        await using var f = new MonitoringFixture();
        await f.CreateModelAsync();
        await f.CreateModelAsync("second");
        await f.Models.SetEnabledAsync(Callers.Scientist("alice"), "second", false);
        await f.Runner.RunNowAsync(Callers.Scientist("alice"), "credit_risk", Data.Rows(200));
        await f.Runner.RunNowAsync(Callers.Scientist("alice"), "credit_risk", Data.Rows(200, ageShift: 15));
        await f.Runner.RunNowAsync(Callers.Scientist("alice"), "credit_risk", new Ingestion.ObservationBatch(new Dictionary<string, string?[]> { ["age"] = ["1"] }, [], []));
        await f.Runner.RunScheduledAsync("second", null);

        var stats = await f.History.StatisticsAsync();
        Assert.Equal(new MonitoringStatistics(2, 1, 4, 2, 1, 1, 1, 66.7), stats);
        var failed = await f.History.HistoryAsync(new HistoryFilter("credit_risk", RunStatus.Failed));
        Assert.Single(failed);
    }
}

public sealed class DemoDataTests
{
    [Fact]
    public async Task Seed_FillsAnEmptyConsoleWithAValidLedgerModelsAndADriftEpisode_AndRefusesASecondTime()
    {
        await using var f = new MonitoringFixture(clock: TimeProvider.System);
        var demo = f.Demo;
        var summary = await demo.SeedAsync();

        Assert.True(summary.LedgerEntries > 2000, $"{summary.LedgerEntries} entries");
        Assert.Equal(3, (await f.Models.ListAsync()).Count);
        Assert.True(summary.Alerts > 0);
        var stats = await f.History.StatisticsAsync();
        Assert.Equal(summary.Runs, stats.TotalExecutions);
        Assert.Equal(1, stats.FailedExecutions);
        Assert.True((await f.Verifier.VerifyAsync()).Valid);
        await Assert.ThrowsAsync<Audit.AuditOperationException>(() => demo.SeedAsync());
    }
}
