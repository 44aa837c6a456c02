using System.Text.Json;
using MonitorConsole.Drift;
using MonitorConsole.Drift.Metrics;
using MonitorConsole.Monitoring.Models;

namespace MonitorConsole.Monitoring.Runs;

/// <summary>A report turned into the rows a run keeps: one per (feature, metric), one per feature with its level and distribution.</summary>
public sealed record RunResultRows(List<DriftRunMetric> Metrics, List<DriftRunFeatureResult> Features)
{
    public static RunResultRows Empty => new([], []);

    /// <summary>A categorical feature keeps at most this many bins on the report page; the rest are summed as one.</summary>
    public const int MaxStoredBins = 100;

    public const string OtherBin = "(other categories)";

    public static RunResultRows Of(DriftRun run, DriftReport report)
    {
        var rows = new RunResultRows([], []);
        foreach (var f in report.Features.Values) rows.Add(run, f);
        if (report.OutputDrift is { } output) rows.Add(run, output);
        if (report.Dataset.Count > 0)
        {
            foreach (var v in report.Dataset) rows.Metrics.Add(Row(run, DriftRunMetric.DatasetFeature, v));
            rows.Features.Add(new DriftRunFeatureResult
            {
                CheckId = run.CheckId, ModelId = run.ModelId, Timestamp = run.Timestamp, Feature = DriftRunMetric.DatasetFeature,
                Kind = "dataset", AlertLevel = report.DatasetLevel.Label(),
            });
        }
        return rows;
    }

    private void Add(DriftRun run, FeatureDrift f)
    {
        foreach (var v in f.Values) Metrics.Add(Row(run, f.Name, v));
        Features.Add(new DriftRunFeatureResult
        {
            CheckId = run.CheckId, ModelId = run.ModelId, Timestamp = run.Timestamp, Feature = f.Name,
            Kind = f.Kind.Label(), AlertLevel = f.AlertLevel.Label(), DistributionJson = JsonSerializer.Serialize(Distribution.Of(f)),
        });
    }

    private static DriftRunMetric Row(DriftRun run, string feature, MetricValue v) => new()
    {
        CheckId = run.CheckId, ModelId = run.ModelId, Timestamp = run.Timestamp, Feature = feature, Metric = v.Metric, Value = v.Value,
    };
}

/// <summary>Bins and both sides' shares of one feature, as kept with a run (snake_case JSON).</summary>
public sealed record Distribution(
    [property: System.Text.Json.Serialization.JsonPropertyName("bins")] IReadOnlyList<string> Bins,
    [property: System.Text.Json.Serialization.JsonPropertyName("baseline")] IReadOnlyList<double> Baseline,
    [property: System.Text.Json.Serialization.JsonPropertyName("current")] IReadOnlyList<double> Current,
    [property: System.Text.Json.Serialization.JsonPropertyName("baseline_count")] int BaselineCount,
    [property: System.Text.Json.Serialization.JsonPropertyName("current_count")] int CurrentCount)
{
    public static Distribution Of(FeatureDrift f)
    {
        if (f.Bins.Count <= RunResultRows.MaxStoredBins)
            return new Distribution(f.Bins, f.BaselineShares, f.CurrentShares, f.BaselineCount, f.CurrentCount);
        // Many categories: the largest on either side are kept, the rest summed, so a run row stays small.
        var keep = Enumerable.Range(0, f.Bins.Count)
            .OrderByDescending(i => Math.Max(f.BaselineShares[i], f.CurrentShares[i]))
            .Take(RunResultRows.MaxStoredBins - 1).Order().ToList();
        var kept = keep.ToHashSet();
        var rest = Enumerable.Range(0, f.Bins.Count).Where(i => !kept.Contains(i)).ToList();
        return new Distribution(
            [.. keep.Select(i => f.Bins[i]), RunResultRows.OtherBin],
            [.. keep.Select(i => f.BaselineShares[i]), rest.Sum(i => f.BaselineShares[i])],
            [.. keep.Select(i => f.CurrentShares[i]), rest.Sum(i => f.CurrentShares[i])],
            f.BaselineCount, f.CurrentCount);
    }
}
