using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MonitorConsole.Audit;
using MonitorConsole.Audit.Chain;
using MonitorConsole.Audit.Queries;
using MonitorConsole.Audit.Storage;
using MonitorConsole.Drift;
using MonitorConsole.Access;
using MonitorConsole.Monitoring.Alerts;
using MonitorConsole.Monitoring.Models;
using MonitorConsole.Monitoring.Runs;
using MonitorConsole.Monitoring.Scheduling;
using MonitorConsole.Monitoring.Storage;

namespace MonitorConsole.Monitoring.Demo;

public sealed record DemoSummary(int LedgerEntries, int Models, int Runs, int Alerts);

/// <summary>
/// A living console for a first look: a few thousand ledger entries over four weeks, three models with baselines and
/// schedules, and their run history — real detector results on generated data, with a drift episode on credit_risk.
/// It only goes into an empty console, so it can never mix with real records.
/// </summary>
public sealed class DemoData(AuditDatabase audit, AuditQueries queries, MonitoringDatabase monitoring, ModelConfigService models, TimeProvider clock)
{
    private static readonly Caller DemoAuthor = Caller.User("alice.chen", [ConsoleRoles.DataScientist]);
    private static readonly string[] People = ["alice.chen", "bob.okafor", "carla.diaz", "dev.patel", "erin.walsh", "farid.haddad"];
    private static readonly string[] Services = ["ml-platform", "feature-store", "training-pipeline", "batch-scorer"];
    private static readonly string[] Datasets = ["loans_2026q1", "transactions_daily", "customers_master", "churn_labels"];

    public async Task<DemoSummary> SeedAsync(CancellationToken ct = default)
    {
        await using (var db = await monitoring.CreateDbContextAsync(ct))
        {
            if (await db.Models.AnyAsync(ct) || await db.Runs.AnyAsync(ct))
                throw new AuditOperationException("demo data goes only into an empty console: models or runs already exist");
        }
        if ((await queries.GetSummaryAsync(ct)).ChainLength > 0)
            throw new AuditOperationException("demo data goes only into an empty console: the ledger already has entries");

        var now = clock.GetUtcNow();
        var start = now.AddDays(-28);
        var random = new Random(20260130);
        var events = new List<(DateTimeOffset At, AuditEntryDraft Draft)>();
        for (var t = start; t < now.AddHours(-1); t = t.AddMinutes(random.Next(4, 18)))
            events.Add((t, OrdinaryAction(random)));

        var demoModels = new[]
        {
            new ModelConfigInput { ModelId = "credit_risk", ModelVersion = "3.2.0", Schedule = ScheduleKind.Daily, TimeZone = "Europe/Berlin", Features = ["age", "income", "debt_ratio", "region"], Categorical = ["region"], OutputColumn = "score" },
            new ModelConfigInput { ModelId = "fraud_detector", ModelVersion = "2.0.1", Schedule = ScheduleKind.Hourly, Features = ["amount", "merchant_risk", "channel"], Categorical = ["channel"], OutputColumn = "score" },
            new ModelConfigInput { ModelId = "churn_predictor", ModelVersion = "1.4.0", Schedule = ScheduleKind.Weekly, TimeZone = "America/New_York", Features = ["tenure_months", "monthly_spend", "support_calls"], OutputColumn = "score" },
        };

        // Runs are computed first (they need the detectors) and their alerts join the ledger's timeline.
        var runs = new List<(DriftRun Run, RunResultRows Results)>();
        foreach (var model in demoModels)
        {
            var detector = new DriftDetector(Columns(Generate(model.ModelId, 2000, 0, random), out var baselineOutputs, model.OutputColumn),
                new DriftDetectorOptions { Features = model.Features, Categorical = model.Categorical.ToHashSet(), Thresholds = model.Thresholds, OutputColumn = model.OutputColumn }, baselineOutputs);
            var expression = ScheduleCalculator.Expression(model.Schedule, model.Cron, model.TimeZone ?? "UTC");
            var from = model.Schedule == ScheduleKind.Hourly ? now.AddDays(-3) : start;
            foreach (var slot in ScheduleCalculator.NextRuns(expression, from, 500).Where(s => s < now))
            {
                var drift = DriftAmount(model.ModelId, (slot - start).TotalDays);
                var current = Columns(Generate(model.ModelId, 800, drift, random), out var outputs, model.OutputColumn);
                var report = detector.Compute(current, outputs);
                var run = new DriftRun
                {
                    CheckId = Guid.CreateVersion7(slot).ToString("N")[..16], ModelId = model.ModelId, ModelVersion = model.ModelVersion,
                    Timestamp = slot.UtcDateTime, ScheduledFor = slot.UtcDateTime, Trigger = "scheduled", Status = RunStatus.Completed,
                    DurationMs = Math.Round(40 + random.NextDouble() * 60, 1), AlertLevel = report.OverallStatus.Label(),
                    AlertGenerated = report.OverallStatus >= AlertLevel.Warning, WindowStart = slot.UtcDateTime.AddDays(-1), WindowEnd = slot.UtcDateTime,
                };
                var view = new ModelConfigView(model.ModelId, model.ModelVersion, model.Schedule, null, model.TimeZone ?? "UTC", model.Thresholds,
                    model.Features, model.Categorical, model.OutputColumn, [], true, null, start.UtcDateTime, start.UtcDateTime, true);
                var summary = RunSummary.Of(view, run, report, 800);
                run.MetricsJson = JsonSerializer.Serialize(summary);
                runs.Add((run, RunResultRows.Of(run, report)));
                if (run.AlertGenerated)
                    events.Add((slot.AddSeconds(2), new AuditEntryDraft(AlertDispatcher.AlertAction, AlertDispatcher.Actor, "model", model.ModelId,
                        JsonSerializer.Serialize(summary), JsonSerializer.Serialize(new { severity = run.AlertLevel, check_id = run.CheckId }))));
            }
        }

        // One run failed on bad data, as real ones sometimes do.
        var failed = runs.First(r => r.Run.ModelId == "churn_predictor").Run;
        failed.Status = RunStatus.Failed;
        failed.AlertGenerated = false;
        failed.AlertLevel = null;
        failed.ErrorMessage = "support_calls: row 311 has the non-numeric value 'n/a' in a numeric feature";
        var failedResults = runs.First(r => r.Run == failed).Results;
        failedResults.Metrics.Clear();
        failedResults.Features.Clear();

        // The ledger is written in time order, in one transaction, through a writer whose clock hands out each event's
        // time as its entry is chained.
        var ordered = events.OrderBy(e => e.At).ToList();
        var writer = new AuditWriter(audit, new TimelineClock(ordered.Select(e => e.At)));
        await using (writer) await writer.AppendStreamAsync(ordered.Select(e => e.Draft).ToAsyncEnumerable(), ct);

        // Configurations (audited as created by alice, now) and the generated history.
        foreach (var model in demoModels)
        {
            await models.ConfigureAsync(DemoAuthor, model, ct);
            using var baseline = new MemoryStream(Encoding.UTF8.GetBytes(Csv(Generate(model.ModelId, 2000, 0, random))));
            await models.ReplaceBaselineAsync(DemoAuthor, model.ModelId, baseline, ct);
        }
        await using (var db = await monitoring.CreateDbContextAsync(ct))
        {
            db.Runs.AddRange(runs.Select(r => r.Run));
            db.RunMetrics.AddRange(runs.SelectMany(r => r.Results.Metrics));
            db.RunFeatureResults.AddRange(runs.SelectMany(r => r.Results.Features));
            // The demo's alerts, as sent to no target (demo models have none), so the model pages list them.
            db.Alerts.AddRange(runs.Where(r => r.Run.AlertGenerated).Select(r => new DriftAlert
            {
                CheckId = r.Run.CheckId, ModelId = r.Run.ModelId, Level = r.Run.AlertLevel!, RaisedAt = r.Run.Timestamp.AddSeconds(2),
                DriftedFeatures = string.Join(",", AlertMessage.Of(r.Run).DriftedFeatures),
            }));
            await db.SaveChangesAsync(ct);
        }
        return new DemoSummary(events.Count + demoModels.Length * 2, demoModels.Length, runs.Count, runs.Count(r => r.Run.AlertGenerated));
    }

    /// <summary>credit_risk drifts from day 12 to day 17 (a new marketing channel), peaking on day 14.</summary>
    private static double DriftAmount(string modelId, double day) =>
        modelId == "credit_risk" && day is >= 12 and <= 17 ? 1.0 - Math.Abs(day - 14.5) / 3.0 : modelId == "fraud_detector" ? 0.05 : 0;

    private static AuditEntryDraft OrdinaryAction(Random r)
    {
        var person = People[r.Next(People.Length)];
        return r.Next(10) switch
        {
            < 4 => new AuditEntryDraft("DATA_ACCESS", Services[r.Next(Services.Length)], "dataset", Datasets[r.Next(Datasets.Length)],
                JsonSerializer.Serialize(new { rows_read = r.Next(1000, 500000), purpose = "scoring" })),
            < 6 => new AuditEntryDraft("PREDICTION_BATCH", "batch-scorer", "model", Pick(r, "credit_risk", "fraud_detector", "churn_predictor"),
                JsonSerializer.Serialize(new { predictions = r.Next(500, 20000) })),
            < 8 => new AuditEntryDraft("UPDATE", person, "model", Pick(r, "credit_risk", "fraud_detector", "churn_predictor"),
                JsonSerializer.Serialize(new { config = new { threshold = Math.Round(0.5 + r.NextDouble() * 0.4, 2) } }),
                JsonSerializer.Serialize(new { reason = Pick(r, "threshold tuning", "quarterly review", "incident follow-up") })),
            8 => new AuditEntryDraft("APPROVE", person, "model_release", $"v{r.Next(1, 4)}.{r.Next(0, 9)}.{r.Next(0, 9)}",
                JsonSerializer.Serialize(new { checklist = "complete" })),
            _ => new AuditEntryDraft("DEPLOY", "ml-platform", "model", Pick(r, "credit_risk", "fraud_detector", "churn_predictor"),
                JsonSerializer.Serialize(new { environment = "production", replicas = r.Next(2, 8) })),
        };
    }

    private static string Pick(Random r, params string[] items) => items[r.Next(items.Length)];

    private static Dictionary<string, string?[]> Generate(string modelId, int rows, double drift, Random r)
    {
        double Normal(double mean, double sd) => mean + sd * Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());
        string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
        var data = new Dictionary<string, List<string?>>();
        void Add(string name, string? value) => (data.TryGetValue(name, out var l) ? l : data[name] = []).Add(value);
        for (var i = 0; i < rows; i++)
        {
            switch (modelId)
            {
                case "credit_risk":
                    Add("age", F(Math.Round(Normal(41 - 9 * drift, 11))));
                    Add("income", r.Next(100) < 2 ? null : F(Math.Round(Normal(58000 - 12000 * drift, 14000))));
                    Add("debt_ratio", F(Math.Clamp(Normal(0.32 + 0.08 * drift, 0.1), 0, 1)));
                    Add("region", r.NextDouble() < 0.3 * drift ? "online" : Pick(r, "north", "south", "east", "west"));
                    Add("score", F(Math.Clamp(Normal(0.22 + 0.1 * drift, 0.1), 0, 1)));
                    break;
                case "fraud_detector":
                    Add("amount", F(Math.Round(Math.Exp(Normal(3.8 + drift, 1.1)), 2)));
                    Add("merchant_risk", F(Math.Clamp(Normal(0.2, 0.08), 0, 1)));
                    Add("channel", Pick(r, "card_present", "card_present", "ecommerce", "mobile"));
                    Add("score", F(Math.Clamp(Normal(0.05, 0.04), 0, 1)));
                    break;
                default:
                    Add("tenure_months", F(Math.Round(Math.Abs(Normal(26, 14)))));
                    Add("monthly_spend", F(Math.Round(Normal(64, 18), 2)));
                    Add("support_calls", F(Math.Max(0, Math.Round(Normal(1.2, 1.1)))));
                    Add("score", F(Math.Clamp(Normal(0.14, 0.07), 0, 1)));
                    break;
            }
        }
        return data.ToDictionary(d => d.Key, d => d.Value.ToArray());
    }

    private static Dictionary<string, FeatureColumn> Columns(Dictionary<string, string?[]> data, out FeatureColumn? outputs, string? outputColumn)
    {
        var columns = data.ToDictionary(d => d.Key, d => FeatureColumn.Text(d.Value));
        outputs = outputColumn is not null && columns.Remove(outputColumn, out var o) ? o : null;
        return columns;
    }

    private static string Csv(Dictionary<string, string?[]> data)
    {
        var names = data.Keys.ToList();
        var builder = new StringBuilder(string.Join(',', names)).Append('\n');
        for (var i = 0; i < data[names[0]].Length; i++)
            builder.Append(string.Join(',', names.Select(n => data[n][i] ?? ""))).Append('\n');
        return builder.ToString();
    }

    /// <summary>Answers each reading with the next time of the timeline (the last one once it runs out).</summary>
    private sealed class TimelineClock(IEnumerable<DateTimeOffset> times) : TimeProvider
    {
        private readonly Queue<DateTimeOffset> _times = new(times);
        private DateTimeOffset _last;

        public override DateTimeOffset GetUtcNow()
        {
            lock (_times)
            {
                if (_times.Count > 0) _last = _times.Dequeue();
                return _last;
            }
        }
    }
}
