using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MonitorConsole.Drift.Metrics;
using MonitorConsole.Monitoring.Models;
using MonitorConsole.Monitoring.Storage;

namespace MonitorConsole.Monitoring.Runs;

/// <summary>One feature of a run's report (the data set as a whole has the feature name "" and kind "dataset").</summary>
public sealed record FeatureReport(
    string Feature, string Kind, string AlertLevel, IReadOnlyDictionary<string, double> Metrics, Distribution? Distribution);

public sealed record RunReport(DriftRun Run, IReadOnlyList<FeatureReport> Features);

public sealed record FeatureSeries(string Feature, int SourcePoints, bool Downsampled, IReadOnlyList<SeriesPoint> Points);

/// <summary>A run the charts mark: WARNING, CRITICAL or FAILED.</summary>
public sealed record RunMarker(DateTime Timestamp, string Kind, string CheckId);

public sealed record MetricHistory(string Metric, int MaxPoints, IReadOnlyList<FeatureSeries> Series, IReadOnlyList<RunMarker> Markers);

public sealed record SeriesQuery(string? Feature = null, DateTime? From = null, DateTime? To = null, int MaxPoints = SeriesQuery.DefaultMaxPoints)
{
    public const int DefaultMaxPoints = 2000;
    public const int LargestMaxPoints = 10_000;
}

/// <summary>Run reports and metric histories read from the long-form results (drift_run_metrics).</summary>
public sealed class RunReports(MonitoringDatabase database)
{
    public async Task<RunReport?> ReportAsync(string modelId, string checkId, CancellationToken ct = default)
    {
        await using var db = await database.CreateDbContextAsync(ct);
        var run = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.ModelId == modelId && r.CheckId == checkId, ct);
        if (run is null) return null;
        return new RunReport(run, await FeaturesAsync(db, checkId, ct));
    }

    /// <summary>The newest run that has results, with them; null when no run has any.</summary>
    public async Task<RunReport?> LatestAsync(string modelId, CancellationToken ct = default)
    {
        await using var db = await database.CreateDbContextAsync(ct);
        var checkId = await db.RunFeatureResults.AsNoTracking().Where(f => f.ModelId == modelId)
            .OrderByDescending(f => f.Timestamp).Select(f => f.CheckId).FirstOrDefaultAsync(ct);
        if (checkId is null) return null;
        var run = await db.Runs.AsNoTracking().FirstAsync(r => r.CheckId == checkId, ct);
        return new RunReport(run, await FeaturesAsync(db, checkId, ct));
    }

    private static async Task<IReadOnlyList<FeatureReport>> FeaturesAsync(MonitoringDbContext db, string checkId, CancellationToken ct)
    {
        var features = await db.RunFeatureResults.AsNoTracking().Where(f => f.CheckId == checkId).ToListAsync(ct);
        var metrics = await db.RunMetrics.AsNoTracking().Where(m => m.CheckId == checkId)
            .Select(m => new { m.Feature, m.Metric, m.Value }).ToListAsync(ct);
        var order = MetricRegistry.All.Select((m, i) => (m.Name, i)).ToDictionary(x => x.Name, x => x.i);
        return features
            .OrderBy(f => f.Kind == "dataset" ? 0 : 1).ThenBy(f => f.Feature, StringComparer.Ordinal)
            .Select(f => new FeatureReport(f.Feature, f.Kind, f.AlertLevel,
                metrics.Where(m => m.Feature == f.Feature).OrderBy(m => order.GetValueOrDefault(m.Metric, int.MaxValue))
                    .ToDictionary(m => m.Metric, m => m.Value),
                f.DistributionJson is null ? null : JsonSerializer.Deserialize<Distribution>(f.DistributionJson)))
            .ToList();
    }

    /// <summary>
    /// One metric's history per feature, oldest first, each series downsampled on the server to at most
    /// <see cref="SeriesQuery.MaxPoints"/> points with its spikes kept, plus the WARNING, CRITICAL and FAILED runs to
    /// mark (bounded the same way). Rows are streamed, so memory follows the answer, not the history.
    /// </summary>
    public async Task<MetricHistory> HistoryAsync(string modelId, string metric, SeriesQuery query, CancellationToken ct = default)
    {
        if (MetricRegistry.Find(metric) is null)
            throw new MonitoringInputException("metric", $"'{metric}' is not a drift metric; one of {string.Join(", ", MetricRegistry.All.Select(m => m.Name))}");
        if (query.MaxPoints is < 2 or > SeriesQuery.LargestMaxPoints)
            throw new MonitoringInputException("max_points", $"must be between 2 and {SeriesQuery.LargestMaxPoints:N0}");
        await using var db = await database.CreateDbContextAsync(ct);
        var rows = db.RunMetrics.AsNoTracking().Where(m => m.ModelId == modelId && m.Metric == metric);
        if (query.Feature is { } feature) rows = rows.Where(m => m.Feature == feature);
        if (query.From is { } from) rows = rows.Where(m => m.Timestamp >= from);
        if (query.To is { } to) rows = rows.Where(m => m.Timestamp <= to);

        var extents = await rows.GroupBy(m => m.Feature)
            .Select(g => new { Feature = g.Key, Count = g.Count(), First = g.Min(m => m.Timestamp), Last = g.Max(m => m.Timestamp) })
            .ToListAsync(ct);
        var series = new List<FeatureSeries>(extents.Count);
        foreach (var e in extents.OrderBy(e => e.Feature, StringComparer.Ordinal))
        {
            var sampler = new SeriesDownsampler(e.First, e.Last, e.Count, query.MaxPoints);
            await foreach (var p in rows.Where(m => m.Feature == e.Feature).OrderBy(m => m.Timestamp)
                .Select(m => new SeriesPoint(m.Timestamp, m.Value, m.CheckId)).AsAsyncEnumerable().WithCancellation(ct))
                sampler.Add(p);
            series.Add(new FeatureSeries(e.Feature, e.Count, sampler.Downsampled, sampler.Points()));
        }
        return new MetricHistory(metric, query.MaxPoints, series, await MarkersAsync(db, modelId, query, ct));
    }

    private static async Task<IReadOnlyList<RunMarker>> MarkersAsync(MonitoringDbContext db, string modelId, SeriesQuery query, CancellationToken ct)
    {
        var runs = db.Runs.AsNoTracking().Where(r => r.ModelId == modelId
            && (r.Status == RunStatus.Failed || (r.Status == RunStatus.Completed && (r.AlertLevel == "WARNING" || r.AlertLevel == "CRITICAL"))));
        if (query.From is { } from) runs = runs.Where(r => r.Timestamp >= from);
        if (query.To is { } to) runs = runs.Where(r => r.Timestamp <= to);
        var count = await runs.CountAsync(ct);
        if (count == 0) return [];
        var first = await runs.MinAsync(r => r.Timestamp, ct);
        var last = await runs.MaxAsync(r => r.Timestamp, ct);
        // Too many to draw: per time bucket the worst run stands for the others.
        var buckets = Math.Min(count, query.MaxPoints);
        var width = Math.Max(1, (last - first).Ticks + 1) / (double)buckets;
        var kept = new RunMarker?[buckets];
        var next = 0;
        await foreach (var r in runs.OrderBy(r => r.Timestamp).Select(r => new { r.Timestamp, r.Status, r.AlertLevel, r.CheckId }).AsAsyncEnumerable().WithCancellation(ct))
        {
            var marker = new RunMarker(r.Timestamp, r.Status == RunStatus.Failed ? "FAILED" : r.AlertLevel!, r.CheckId);
            var b = count <= query.MaxPoints ? -1 : Math.Clamp((int)((r.Timestamp - first).Ticks / width), 0, buckets - 1);
            if (b < 0)
            {
                kept[next++] = marker;
                continue;
            }
            if (kept[b] is null || Rank(marker.Kind) > Rank(kept[b]!.Kind)) kept[b] = marker;
        }
        return kept.Where(m => m is not null).Select(m => m!).ToList();
    }

    private static int Rank(string kind) => kind switch { "CRITICAL" => 3, "FAILED" => 2, "WARNING" => 1, _ => 0 };
}
