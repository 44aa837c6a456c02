using System.Globalization;
using System.Reflection;
using System.Text;

namespace MonitorConsole.Drift.Metrics;

/// <summary>Every drift metric, found in this assembly, in their order. Keys are unique snake_case names.</summary>
public static class MetricRegistry
{
    public static IReadOnlyList<DriftMetric> All { get; } = Discover();

    public static IReadOnlyList<DriftMetric> PerFeature { get; } = [.. All.Where(m => m.AppliesTo != MetricScope.Dataset)];

    public static IReadOnlyList<DriftMetric> Dataset { get; } = [.. All.Where(m => m.AppliesTo == MetricScope.Dataset)];

    /// <summary>Every threshold key of every metric, with the metric it belongs to.</summary>
    public static IReadOnlyDictionary<string, (DriftMetric Metric, MetricThreshold Threshold)> ThresholdKeys { get; } =
        All.SelectMany(m => m.Thresholds.Select(t => (m, t))).ToDictionary(x => x.t.Key, x => (x.m, x.t), StringComparer.Ordinal);

    public static DriftMetric? Find(string name) => All.FirstOrDefault(m => m.Name == name);

    /// <summary>The metrics of one feature kind, evaluated against the thresholds.</summary>
    public static IReadOnlyList<MetricValue> Evaluate(FeatureInput input, DriftThresholds thresholds)
    {
        var values = new List<MetricValue>(PerFeature.Count);
        foreach (var m in PerFeature)
            if (m.AppliesToKind(input.Drift.Kind) && m.Compute(input) is { } v)
                values.Add(new MetricValue(m.Name, v, m.Level(v, thresholds)));
        return values;
    }

    public static IReadOnlyList<MetricValue> Evaluate(DatasetInput input, DriftThresholds thresholds)
    {
        var values = new List<MetricValue>(Dataset.Count);
        foreach (var m in Dataset)
            if (m.Compute(input) is { } v)
                values.Add(new MetricValue(m.Name, v, m.Level(v, thresholds)));
        return values;
    }

    /// <summary>The registry table of docs/drift-metrics.md; a test keeps the document and this in step.</summary>
    public static string MarkdownTable()
    {
        var text = new StringBuilder();
        text.AppendLine("| metric | label | applies to | thresholds (level raised, default) | spec |");
        text.AppendLine("|---|---|---|---|---|");
        foreach (var m in All)
        {
            var thresholds = m.Thresholds.Count == 0 ? "—" : string.Join("; ", m.Thresholds.Select(t =>
                $"`{t.Key}` ({(t.IsAlpha ? "below" : "≥")}: {t.Raises.Label()}, {(t.Default is { } d ? d.ToString(CultureInfo.InvariantCulture) : "not used")})"));
            text.AppendLine($"| `{m.Name}` | {m.Label} | {m.AppliesTo.ToString().ToLowerInvariant()} | {thresholds} | v{m.Spec} |");
        }
        return text.ToString();
    }

    private static List<DriftMetric> Discover()
    {
        var metrics = typeof(DriftMetric).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsClass: true } && t.IsSubclassOf(typeof(DriftMetric)))
            .Select(t => (DriftMetric)Activator.CreateInstance(t)!)
            .OrderBy(m => m.Order)
            .ThenBy(m => m.Name, StringComparer.Ordinal)
            .ToList();
        var duplicate = metrics.GroupBy(m => m.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new InvalidOperationException($"Two drift metrics are named '{duplicate.Key}'.");
        return metrics;
    }
}
