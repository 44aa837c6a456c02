using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using MonitorConsole.Drift;
using MonitorConsole.Drift.Metrics;
using MonitorConsole.Monitoring.Ingestion;
using MonitorConsole.Monitoring.Models;
using MonitorConsole.Monitoring.Runs;
using MonitorConsole.Monitoring.Storage;
using MonitorConsole.Tests.Shared;

namespace MonitorConsole.Monitoring.Tests;

public sealed class RunResultsTests
{
    [Fact]
    public async Task CompletedRun_StoresOneRowPerFeatureAndRegistryMetric_AndEachFeaturesLevelAndDistribution()
    {
        await using var f = new MonitoringFixture();
        await f.CreateModelAsync();
        var run = await f.Runner.RunNowAsync(Callers.Scientist("alice"), "credit_risk", Data.Rows(200, ageShift: 30));

        await using var db = await f.Database.CreateDbContextAsync();
        var rows = await db.RunMetrics.Where(m => m.CheckId == run.CheckId).ToListAsync();
        var numeric = MetricRegistry.PerFeature.Where(m => m.AppliesToKind(FeatureKind.Numeric)).Select(m => m.Name).Order().ToList();
        Assert.Equal(numeric, rows.Where(r => r.Feature == "age").Select(r => r.Metric).Order().ToList());
        Assert.Equal(MetricRegistry.Dataset.Select(m => m.Name).Order(), rows.Where(r => r.Feature == DriftRunMetric.DatasetFeature).Select(r => r.Metric).Order());
        // Ages 50–89 against a baseline of 20–59: three quarters lie above the baseline's maximum.
        Assert.Equal(0.75, rows.Single(r => r.Feature == "age" && r.Metric == "out_of_range_share").Value);

        var report = await f.Reports.ReportAsync("credit_risk", run.CheckId);
        var age = report!.Features.Single(x => x.Feature == "age");
        Assert.Equal("CRITICAL", age.AlertLevel);
        Assert.Equal("numeric", age.Kind);
        Assert.Equal(age.Distribution!.Bins.Count, age.Distribution.Baseline.Count);
        Assert.Equal(1.0, age.Distribution.Current.Sum(), 9);
        Assert.Equal("dataset", report.Features[0].Kind);
        Assert.Equal("NORMAL", report.Features[0].AlertLevel);
    }

    [Fact]
    public async Task BiasOnlyWindow_Completes_WithTheLevelOfItsBiasItems()
    {
        await using var f = new MonitoringFixture();
        await f.CreateModelAsync();
        var run = await f.Runner.RunNowAsync(Callers.Scientist("alice"), "credit_risk", new ObservationBatch(
            new Dictionary<string, string?[]>(), [new BiasObservation("tpr_gap", "SEX", "F", 0.02, 0.09)], []));

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal("WARNING", run.AlertLevel);
        Assert.Empty((await f.Reports.ReportAsync("credit_risk", run.CheckId))!.Features);
    }

    [Fact]
    public void Downsampling_KeepsEverySpike_AndNeverExceedsTheLimit()
    {
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var points = Enumerable.Range(0, 8760).Select(i => new SeriesPoint(start.AddHours(i), 0.05 + 0.01 * Math.Sin(i / 24.0), $"r{i}")).ToList();
        points[1234] = points[1234] with { Value = 0.9 };
        points[1235] = points[1235] with { Value = 0.8 };
        points[7000] = points[7000] with { Value = -0.5 };
        var sampler = new SeriesDownsampler(points[0].Timestamp, points[^1].Timestamp, points.Count, 2000);
        foreach (var p in points) sampler.Add(p);
        var kept = sampler.Points();

        Assert.True(sampler.Downsampled);
        Assert.InRange(kept.Count, 1000, 2000);
        Assert.Contains(kept, p => p.CheckId == "r1234" && p.Value == 0.9);
        Assert.Contains(kept, p => p.CheckId == "r7000" && p.Value == -0.5);
        Assert.Equal(kept.OrderBy(p => p.Timestamp).Select(p => p.CheckId), kept.Select(p => p.CheckId));
        Assert.Equal(points[0].Timestamp, kept[0].Timestamp);
    }

    [Fact]
    public void Downsampling_KeepsShortSeriesWhole()
    {
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var sampler = new SeriesDownsampler(start, start.AddHours(9), 10, 2000);
        for (var i = 0; i < 10; i++) sampler.Add(new SeriesPoint(start.AddHours(i), i, $"r{i}"));
        Assert.False(sampler.Downsampled);
        Assert.Equal(10, sampler.Points().Count);
    }

    [Fact]
    public async Task AYearOfHourlyRuns_IsReadAsAtMostMaxPointsPerSeries_WithSpikesAndMarkers()
    {
        await using var f = new MonitoringFixture();
        await f.CreateModelAsync();
        var start = new DateTime(2025, 3, 1, 0, 0, 0, DateTimeKind.Utc);
        await using (var db = await f.Database.CreateDbContextAsync())
        {
            for (var i = 0; i < 8760; i++)
            {
                var id = $"h{i:D6}";
                var level = i % 500 == 0 ? "CRITICAL" : i % 97 == 0 ? "WARNING" : "NORMAL";
                db.Runs.Add(new DriftRun { CheckId = id, ModelId = "credit_risk", ModelVersion = "1", Timestamp = start.AddHours(i), Status = RunStatus.Completed, AlertLevel = level });
                foreach (var feature in new[] { "age", "income" })
                    db.RunMetrics.Add(new DriftRunMetric { CheckId = id, ModelId = "credit_risk", Timestamp = start.AddHours(i), Feature = feature, Metric = "psi", Value = i == 4321 ? 0.7 : 0.02 });
            }
            db.Runs.Add(new DriftRun { CheckId = "failed", ModelId = "credit_risk", ModelVersion = "1", Timestamp = start.AddHours(100.5), Status = RunStatus.Failed });
            await db.SaveChangesAsync();
        }

        var clock = Stopwatch.StartNew();
        var history = await f.Reports.HistoryAsync("credit_risk", "psi", new SeriesQuery());
        TestContext.Current.TestOutputHelper?.WriteLine($"8,760 hourly runs × 2 features read and downsampled in {clock.ElapsedMilliseconds} ms");

        Assert.Equal(["age", "income"], history.Series.Select(s => s.Feature));
        Assert.All(history.Series, s =>
        {
            Assert.Equal(8760, s.SourcePoints);
            Assert.InRange(s.Points.Count, 1, SeriesQuery.DefaultMaxPoints);
            Assert.Contains(s.Points, p => p.Value == 0.7 && p.CheckId == "h004321");
        });
        Assert.InRange(history.Markers.Count, 1, SeriesQuery.DefaultMaxPoints);
        Assert.Contains(history.Markers, m => m.Kind == "FAILED" && m.CheckId == "failed");
        Assert.Equal(18, history.Markers.Count(m => m.Kind == "CRITICAL"));

        var small = await f.Reports.HistoryAsync("credit_risk", "psi", new SeriesQuery(Feature: "age", MaxPoints: 100));
        Assert.InRange(Assert.Single(small.Series).Points.Count, 1, 100);
        await Assert.ThrowsAsync<MonitoringInputException>(() => f.Reports.HistoryAsync("credit_risk", "psi", new SeriesQuery(MaxPoints: 1)));
        Assert.Equal("metric", (await Assert.ThrowsAsync<MonitoringInputException>(() => f.Reports.HistoryAsync("credit_risk", "nope", new SeriesQuery()))).Field);
    }

    [Fact]
    public async Task Migration_CopiesEarlierWideFeatureRows_IntoTheLongFormTables()
    {
        var file = Path.Combine(Path.GetTempPath(), $"mc-results-migration-{Guid.NewGuid():N}.db");
        try
        {
            await MigrateOverOldRowsAsync(new DbContextOptionsBuilder<MonitoringDbContext>()
                .UseSqlite($"Data Source={file}", o => o.MigrationsHistoryTable(MonitoringDbContext.MigrationsTable)).Options, name => $"\"{name}\"");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData(ServerDatabase.PostgreSql)]
    [InlineData(ServerDatabase.MySql)]
    public async Task Migration_CopiesEarlierWideFeatureRows_OnServers(string server)
    {
        await using ServerDatabase database = server == ServerDatabase.MySql
            ? await MySqlDatabase.CreateAsync() : await PostgresDatabase.CreateAsync();
        var options = MonitoringDatabase.Options(global::MonitorConsole.Audit.Storage.DatabaseTarget.Parse(database.Database), new global::MonitorConsole.Audit.AuditOptions(), MonitoringDbContext.MigrationsTable).Options;
        await MigrateOverOldRowsAsync(options, server == ServerDatabase.MySql ? name => $"`{name}`" : name => $"\"{name}\"");
    }

    /// <summary>Migrates to the first migration, writes two wide rows as earlier versions did, then migrates to the end.</summary>
    private static async Task MigrateOverOldRowsAsync(DbContextOptions<MonitoringDbContext> options, Func<string, string> q)
    {
        await using (var db = new MonitoringDbContext(options))
        {
            var migrator = db.GetService<IMigrator>();
            await migrator.MigrateAsync(db.Database.GetMigrations().First());
            var columns = string.Join(", ", new[] { "CheckId", "ModelId", "Timestamp", "Feature", "Kind", "Psi", "Kl", "Js", "Wasserstein", "KsStatistic", "KsPValue", "Chi2Statistic", "Chi2PValue", "AlertLevel" }.Select(q));
            // Fixed test values only; the identifiers are quoted the provider's way.
            var insert =
                $"INSERT INTO {q("drift_run_features")} ({columns}) " +
                "VALUES ('c1', 'm', '2026-01-01 00:00:00', 'age', 'numeric', 0.3, 0.2, 0.1, 0.5, 0.25, 0.001, NULL, NULL, 'CRITICAL')," +
                "('c1', 'm', '2026-01-01 00:00:00', 'region', 'categorical', 0.01, 0.02, 0.03, NULL, NULL, NULL, 4.5, 0.2, 'NORMAL')";
            await db.Database.ExecuteSqlRawAsync(insert);
            await migrator.MigrateAsync();
        }
        await using (var db = new MonitoringDbContext(options))
        {
            var age = await db.RunMetrics.Where(m => m.Feature == "age").ToDictionaryAsync(m => m.Metric, m => m.Value);
            Assert.Equal(["js", "kl", "ks_p_value", "ks_statistic", "psi", "wasserstein"], age.Keys.Order(StringComparer.Ordinal));
            Assert.Equal(0.3, age["psi"]);
            Assert.Equal(2, await db.RunMetrics.CountAsync(m => m.Feature == "region" && m.Metric.StartsWith("chi2")));
            var results = await db.RunFeatureResults.OrderBy(r => r.Feature).ToListAsync();
            Assert.Equal(["CRITICAL", "NORMAL"], results.Select(r => r.AlertLevel));
            Assert.All(results, r => Assert.Null(r.DistributionJson));
        }
    }
}
