namespace MonitorConsole.Drift.Metrics;

/// <summary>What a metric is computed over.</summary>
public enum MetricScope
{
    Numeric,
    Categorical,
    Both,

    /// <summary>The data set as a whole (its columns), not one feature.</summary>
    Dataset,
}

/// <summary>How a threshold is crossed.</summary>
public enum ThresholdDirection
{
    /// <summary>The value at or above the threshold raises the level (a distance, a share).</summary>
    AtOrAbove,

    /// <summary>The value below the threshold raises the level (a p-value below its alpha).</summary>
    Below,
}

/// <summary>
/// One threshold of a metric: its key in the model's thresholds (snake_case, as in the API and CLI), the level it
/// raises to and its default (null: not used unless set).
/// </summary>
public sealed record MetricThreshold(string Key, string Label, AlertLevel Raises, ThresholdDirection Direction, double? Default)
{
    public bool IsAlpha => Direction == ThresholdDirection.Below;

    public bool IsCrossedBy(double value, double threshold) =>
        Direction == ThresholdDirection.AtOrAbove ? value >= threshold : value < threshold;
}

/// <summary>One feature's sides as a metric sees them: the prepared baseline, the current values and spec v1's results.</summary>
/// <param name="SortedNumbers">A numeric feature's current values that are numbers, sorted ascending (missing ones left out).</param>
public sealed record FeatureInput(FeatureBaseline Baseline, FeatureDrift Drift, ReadOnlyMemory<double>? SortedNumbers, string?[]? CurrentCategories);

/// <summary>The columns of both sides, for the data-set metrics (the model's output column left out of both).</summary>
public sealed record DatasetInput(IReadOnlySet<string> BaselineColumns, IReadOnlySet<string> CurrentColumns);

/// <summary>
/// A drift metric as the registry (<see cref="MetricRegistry"/>) describes it. A new metric is one new file: a sealed
/// subclass in this assembly, found by the registry; the CLI JSON, the API, storage, charts, forms and the docs table
/// all follow from it.
/// </summary>
public abstract class DriftMetric
{
    /// <summary>The snake_case key used in JSON, the API and storage; never changes once released.</summary>
    public abstract string Name { get; }

    /// <summary>What a person reads in the console.</summary>
    public abstract string Label { get; }

    public abstract MetricScope AppliesTo { get; }

    /// <summary>The exact formula, as docs/drift-metrics.md shows it.</summary>
    public abstract string Definition { get; }

    /// <summary>Where it sits in tables and lists.</summary>
    public abstract int Order { get; }

    /// <summary>The spec version that introduced it.</summary>
    public virtual string Spec => "1";

    public virtual IReadOnlyList<MetricThreshold> Thresholds => [];

    /// <summary>The largest value a threshold of this metric can sensibly have (a share or a p-value: 1).</summary>
    public virtual double LargestThreshold => 1_000_000;

    /// <summary>A .NET numeric format for showing a value.</summary>
    public virtual string Format => "0.####";

    /// <summary>Null when the metric does not apply to this feature.</summary>
    public virtual double? Compute(FeatureInput input) => null;

    /// <summary>Null for per-feature metrics.</summary>
    public virtual double? Compute(DatasetInput input) => null;

    public bool AppliesToKind(FeatureKind kind) => AppliesTo switch
    {
        MetricScope.Both => true,
        MetricScope.Numeric => kind == FeatureKind.Numeric,
        MetricScope.Categorical => kind == FeatureKind.Categorical,
        _ => false,
    };

    /// <summary>The level this value gives under the model's thresholds: the highest any crossed threshold raises.</summary>
    public AlertLevel Level(double value, DriftThresholds thresholds)
    {
        var level = AlertLevel.Normal;
        foreach (var t in Thresholds)
            if (thresholds.Get(t.Key) is { } limit && t.IsCrossedBy(value, limit) && t.Raises > level)
                level = t.Raises;
        return level;
    }
}

/// <summary>A metric's value for one feature (or the data set) and the level it gives.</summary>
public sealed record MetricValue(string Metric, double Value, AlertLevel Level);
