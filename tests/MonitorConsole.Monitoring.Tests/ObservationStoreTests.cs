using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MonitorConsole.Monitoring.Ingestion;
using MonitorConsole.Monitoring.Models;
using MonitorConsole.Tests.Shared;

namespace MonitorConsole.Monitoring.Tests;

/// <summary>Issue #12 points 1, 2 and 6: checked ingest, runs that claim their batches, set-aside batches, retention.</summary>
public sealed class ObservationStoreTests
{
    private static readonly Access.Caller Alice = Callers.Scientist("alice");

    [Fact]
    public async Task CsvWithATextInANumericFeature_IsRefusedNamingRowAndColumn_AndNothingIsStored()
    {
        await using var f = new MonitoringFixture();
        await f.CreateModelAsync();
        var csv = "age,income\n" + string.Join('\n', Enumerable.Range(1, 20).Select(i => i == 17 ? "n/a,40000" : $"{20 + i},40000"));

        var bad = await Assert.ThrowsAsync<MonitoringInputException>(() => f.Observations.IngestCsvAsync(Alice, "credit_risk", MonitoringFixture.Csv(csv)));

        Assert.Equal("row 17, column age", bad.Field);
        Assert.Equal("'n/a' is not a number", bad.Problem);
        Assert.Equal(0, await CountAsync(f));
    }

    [Fact]
    public async Task JsonWithATextOrAnInfiniteNumber_IsRefusedNamingTheField_AndNothingIsStored()
    {
        await using var f = new MonitoringFixture();
        await f.CreateModelAsync();
        var rows = string.Join(',', Enumerable.Range(0, 17).Select(i => i == 16 ? """{"age":"old","income":1}""" : """{"age":30,"income":1}"""));

        var text = await Assert.ThrowsAsync<MonitoringInputException>(() => f.Observations.IngestJsonAsync(Alice, "credit_risk", Json($$"""{"rows":[{{rows}}]}""")));
        var infinite = await Assert.ThrowsAsync<MonitoringInputException>(() => f.Observations.IngestJsonAsync(Alice, "credit_risk", Json("""{"rows":[{"age":1e999,"income":1}]}""")));
        var absent = await Assert.ThrowsAsync<MonitoringInputException>(() => f.Observations.IngestJsonAsync(Alice, "credit_risk", Json("""{"rows":[{"age":30}]}""")));

        Assert.Equal(("rows[16].age", "'old' is not a number (row 17)"), (text.Field, text.Problem));
        Assert.Equal(("rows[0].age", "'1e999' is not a finite number (row 1)"), (infinite.Field, infinite.Problem));
        Assert.Equal(("income", "is monitored but missing from the rows"), (absent.Field, absent.Problem));
        Assert.Equal(0, await CountAsync(f));
    }

    [Fact]
    public async Task MissingValues_AreAccepted_AndCountedAsMissing()
    {
        await using var f = new MonitoringFixture();
        await f.CreateModelAsync();
        await f.Observations.IngestCsvAsync(Alice, "credit_risk", MonitoringFixture.Csv(
            "age,income\n" + string.Join('\n', Enumerable.Range(0, 100).Select(i => i % 10 == 0 ? ",nan" : $"{20 + i % 40},{30000 + i * 97 % 50000}"))));
        var run = await f.Runner.RunScheduledAsync("credit_risk", null);
        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(100, Rows(run));
    }

    [Fact]
    public async Task StoredWindow_AcrossBatches_SeesEveryColumnItHolds_SoAnAddedColumnIsCounted()
    {
        await using var f = new MonitoringFixture();
        await f.CreateModelAsync();
        await f.Observations.IngestCsvAsync(Alice, "credit_risk", MonitoringFixture.Csv(
            "age,income\n" + string.Join('\n', Enumerable.Range(0, 60).Select(i => $"{20 + i % 40},{30000 + i * 97 % 50000}"))));
        await f.Observations.IngestCsvAsync(Alice, "credit_risk", MonitoringFixture.Csv(
            "age,income,region\n" + string.Join('\n', Enumerable.Range(0, 40).Select(i => $"{20 + i % 40},{30000 + i * 89 % 50000},north"))));

        var run = await f.Runner.RunScheduledAsync("credit_risk", null);

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(100, Rows(run));
        var dataset = JsonDocument.Parse(run.MetricsJson).RootElement.GetProperty("dataset");
        Assert.Equal(1, dataset.GetProperty("columns_added").GetDouble());
        Assert.Equal(0, dataset.GetProperty("columns_missing").GetDouble());
    }

    [Fact]
    public async Task BadStoredWindow_FailsOnce_IsSetAside_AndTheNextRunCompletesOnTheGoodBatch()
    {
        await using var f = new MonitoringFixture();
        // Without a baseline the type of a feature is unknown, so texts pass ingest; the baseline then makes age numeric.
        await f.Models.ConfigureAsync(Alice, new ModelConfigInput { ModelId = "credit_risk", ModelVersion = "1", Schedule = ScheduleKind.Daily, Features = ["age", "income"] });
        await f.Observations.IngestCsvAsync(Alice, "credit_risk", MonitoringFixture.Csv("age,income\nold,1\nyoung,2\n"));
        await f.Models.ReplaceBaselineAsync(Alice, "credit_risk", MonitoringFixture.Csv(Data.Baseline()));

        f.Clock.Advance(TimeSpan.FromHours(1));
        var failed = await f.Runner.RunScheduledAsync("credit_risk", null);
        await f.Observations.IngestAsync(Alice, "credit_risk", Data.Rows(120));
        f.Clock.Advance(TimeSpan.FromHours(1));
        var next = await f.Runner.RunScheduledAsync("credit_risk", null);

        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.Contains("non-numeric value 'old'", failed.ErrorMessage);
        Assert.Equal(RunStatus.Completed, next.Status);
        Assert.Equal(120, Rows(next));
        var aside = Assert.Single(await f.Observations.SetAsideAsync("credit_risk"));
        Assert.Equal((2, failed.CheckId, failed.ErrorMessage), (aside.Count, aside.CheckId, aside.Reason));
    }

    [Fact]
    public async Task RunNowWithItsOwnData_LeavesStoredObservationsToTheNextScheduledRun()
    {
        await using var f = new MonitoringFixture();
        await f.CreateModelAsync();
        await f.Observations.IngestAsync(Alice, "credit_risk", Data.Rows(80));
        f.Clock.Advance(TimeSpan.FromMinutes(5));
        var manual = await f.Runner.RunNowAsync(Alice, "credit_risk", Data.Rows(200, ageShift: 15));
        await f.Observations.IngestAsync(Alice, "credit_risk", Data.Rows(40));
        f.Clock.Advance(TimeSpan.FromMinutes(5));
        var scheduled = await f.Runner.RunScheduledAsync("credit_risk", null);

        Assert.Equal((RunStatus.Completed, 200), (manual.Status, Rows(manual)));
        Assert.Null(manual.WindowEnd);
        Assert.Equal((RunStatus.Completed, 120), (scheduled.Status, Rows(scheduled)));
    }

    [Fact]
    public async Task WindowWithOnlyBiasAndSafetyData_Completes_WithThoseResults()
    {
        await using var f = new MonitoringFixture();
        await f.CreateModelAsync();
        await f.Observations.IngestJsonAsync(Alice, "credit_risk", Json("""
            {"bias":[{"metric_name":"approval_rate","stratum_type":"gender","stratum_value":"f","baseline_value":0.5,"current_value":0.3}],
             "safety_events":[{"event_type":"pii_leak","severity":"LOW"}]}
            """));
        var run = await f.Runner.RunScheduledAsync("credit_risk", null);

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal("CRITICAL", run.AlertLevel); // a bias gap of 0.2 is past bias_critical (0.1)
        Assert.Equal(0, Rows(run));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData(ServerDatabase.PostgreSql)]
    [InlineData(ServerDatabase.MySql)]
    public async Task IngestRacingRuns_EveryBatchIsInExactlyOneRun(string server)
    {
        await using ServerDatabase? database = server switch
        {
            "sqlite" => null,
            ServerDatabase.MySql => await MySqlDatabase.CreateAsync(),
            _ => await PostgresDatabase.CreateAsync(),
        };
        await using var f = new MonitoringFixture(clock: TimeProvider.System, database: database?.Database);
        await f.CreateModelAsync();
        const int batches = 24, rowsPerBatch = 30;

        var ingest = Task.Run(async () =>
        {
            for (var i = 0; i < batches; i++) await f.Observations.IngestAsync(Alice, "credit_risk", Data.Rows(rowsPerBatch));
        });
        var runs = new List<DriftRun>();
        while (!ingest.IsCompleted) runs.Add(await f.Runner.RunScheduledAsync("credit_risk", null));
        await ingest;
        runs.Add(await f.Runner.RunScheduledAsync("credit_risk", null));

        Assert.All(runs, r => Assert.True(r.Status == RunStatus.Completed || r.ErrorMessage!.Contains("no data arrived"), r.ErrorMessage));
        Assert.Equal(batches * rowsPerBatch, runs.Where(r => r.Status == RunStatus.Completed).Sum(Rows));
        await using var db = await f.Database.CreateDbContextAsync();
        Assert.Equal(0, await db.Observations.CountAsync(o => o.ClaimedBy == null));
    }

    [Fact]
    public async Task SameData_AsJsonAsCsvAndGivenToARun_GivesTheSameMetrics_AndNumericCategoriesAreOne()
    {
        await using var f = new MonitoringFixture();
        var baseline = "age,segment\n" + string.Join('\n', Enumerable.Range(0, 300).Select(i => $"{20 + i % 40},{i % 3}"));
        await f.Models.ConfigureAsync(Alice, new ModelConfigInput
        {
            ModelId = "m", ModelVersion = "1", Schedule = ScheduleKind.Daily, Features = ["age", "segment"], Categorical = ["segment"],
        });
        await f.Models.ReplaceBaselineAsync(Alice, "m", MonitoringFixture.Csv(baseline));
        var ages = Enumerable.Range(0, 250).Select(i => 25 + i % 37 + (i % 7) * 0.25).ToArray();
        string Segment(int i) => (i % 4) switch { 0 => "0", 1 => "1", 2 => "2", _ => "" };
        string JsonSegment(int i) => (i % 4) switch { 0 => "0.0", 1 => "1", 2 => "2e0", _ => "null" };

        var csv = "age,segment\n" + string.Join('\n', ages.Select((a, i) => $"{a.ToString(CultureInfo.InvariantCulture)},{Segment(i)}"));
        var json = "{\"rows\":[" + string.Join(',', ages.Select((a, i) => $"{{\"age\":{a.ToString(CultureInfo.InvariantCulture)},\"segment\":{JsonSegment(i)}}}")) + "]}";

        await f.Observations.IngestCsvAsync(Alice, "m", MonitoringFixture.Csv(csv));
        var fromCsv = await f.Runner.RunScheduledAsync("m", null);
        await f.Observations.IngestJsonAsync(Alice, "m", Json(json));
        var fromJson = await f.Runner.RunScheduledAsync("m", null);
        var given = await f.Runner.RunNowAsync(Alice, "m", ObservationJsonReader.Parse(Json(json)));

        await using var db = await f.Database.CreateDbContextAsync();
        var rows = await db.RunMetrics.Where(r => r.ModelId == "m").ToListAsync();
        var byRun = rows.GroupBy(r => r.CheckId).ToDictionary(g => g.Key,
            g => g.OrderBy(r => r.Feature).ThenBy(r => r.Metric).Select(r => (r.Feature, r.Metric, r.Value)).ToList());
        Assert.Equal(3, byRun.Count);
        Assert.Equal(byRun[fromCsv.CheckId], byRun[fromJson.CheckId]);
        Assert.Equal(byRun[fromCsv.CheckId], byRun[given.CheckId]);
        // Segments 0, 1, 2 in the same shares as the baseline (a quarter missing): 0.0, 1 and 2e0 met the baseline's 0, 1, 2.
        var psi = rows.Single(r => r.CheckId == fromJson.CheckId && r.Feature == "segment" && r.Metric == "psi").Value;
        Assert.True(psi < 0.01, $"PSI {psi}: JSON numbers did not meet the baseline's categories");
    }

    [Fact]
    public async Task Retention_DeletesClaimedObservationsAfterThePeriod_AndNeverUnclaimedOnes()
    {
        await using var f = new MonitoringFixture(o => o.ObservationRetention = TimeSpan.FromDays(30));
        await f.CreateModelAsync();
        await f.Observations.IngestAsync(Alice, "credit_risk", Data.Rows(50));
        await f.Runner.RunScheduledAsync("credit_risk", null);
        f.Clock.Advance(TimeSpan.FromDays(29));
        await f.Observations.IngestAsync(Alice, "credit_risk", Data.Rows(60)); // never claimed

        Assert.Equal(0, await f.Retention.SweepAsync());
        f.Clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(1, await f.Retention.SweepAsync());
        f.Clock.Advance(TimeSpan.FromDays(400));
        Assert.Equal(0, await f.Retention.SweepAsync());

        await using var db = await f.Database.CreateDbContextAsync();
        var left = Assert.Single(await db.Observations.ToListAsync());
        Assert.Equal((60, null), (left.Count, left.ClaimedBy));
        Assert.Equal(2, await db.ObservationColumns.CountAsync());
    }

    private static int Rows(DriftRun run) => JsonDocument.Parse(run.MetricsJson).RootElement.GetProperty("rows").GetInt32();

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    private static async Task<int> CountAsync(MonitoringFixture f)
    {
        await using var db = await f.Database.CreateDbContextAsync();
        return await db.Observations.CountAsync() + await db.ObservationColumns.CountAsync();
    }
}
