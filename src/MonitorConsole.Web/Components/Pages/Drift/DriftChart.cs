using MonitorConsole.Drift;
using MonitorConsole.Drift.Metrics;
using MonitorConsole.Monitoring.Runs;
using MonitorConsole.Web.Components.Shared;

namespace MonitorConsole.Web.Components.Pages.Drift;

/// <summary>The drift page's chartable metrics — every registry metric — with their threshold bands and series.</summary>
public static class DriftChart
{
    /// <summary>Every metric of the registry, in its order: the chart's metric list.</summary>
    public static IReadOnlyList<DriftMetric> Metrics => MetricRegistry.All;

    /// <summary>
    /// The bands of the metric's thresholds as the model sets them: from a WARNING threshold up to the CRITICAL one
    /// (or the top of the axis), from the CRITICAL one up; for a p-value, from 0 up to its alpha.
    /// </summary>
    public static IReadOnlyList<ChartThreshold> Thresholds(DriftMetric metric, DriftThresholds thresholds)
    {
        var set = metric.Thresholds.Where(t => thresholds.Get(t.Key) is not null)
            .Select(t => (Threshold: t, Value: thresholds.Get(t.Key)!.Value)).ToList();
        var result = new List<ChartThreshold>(set.Count);
        foreach (var (t, value) in set)
        {
            var color = t.Raises == AlertLevel.Critical ? LevelColors.Critical : LevelColors.Warning;
            var label = t.IsAlpha ? "alpha" : t.Raises.Label().ToLowerInvariant();
            if (t.IsAlpha)
            {
                result.Add(new ChartThreshold(label, value, color, 0, value));
                continue;
            }
            double? next = set.Where(o => !o.Threshold.IsAlpha && o.Value > value).Select(o => (double?)o.Value).Min();
            result.Add(new ChartThreshold(label, value, color, value, next));
        }
        return result;
    }

    public static IReadOnlyList<ChartSeries> Series(MetricHistory history, string modelId) =>
        history.Series.Select(s => new ChartSeries(
            s.Feature == Monitoring.Models.DriftRunMetric.DatasetFeature ? "data set" : s.Feature,
            s.Points.Select(p => new ChartPoint(p.Timestamp, p.Value, RunLink(modelId, p.CheckId))).ToList())).ToList();

    public static IReadOnlyList<ChartMarker> Markers(MetricHistory history, string modelId) =>
        history.Markers.Select(m => new ChartMarker(m.Timestamp, m.Kind, LevelColors.Of(m.Kind), RunLink(modelId, m.CheckId))).ToList();

    public static string RunLink(string modelId, string checkId) => $"drift/{Uri.EscapeDataString(modelId)}/runs/{Uri.EscapeDataString(checkId)}";
}
