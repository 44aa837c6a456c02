namespace MonitorConsole.Drift.Metrics;

/// <summary>Data quality (spec v1.1): the share of current numbers outside the baseline's [min, max].</summary>
public sealed class OutOfRangeShare : DriftMetric
{
    public override string Name => "out_of_range_share";
    public override string Label => "Out-of-range share";
    public override MetricScope AppliesTo => MetricScope.Numeric;
    public override int Order => 130;
    public override string Spec => "1.1";
    public override double LargestThreshold => 1;
    public override string Definition => "current non-missing values < baseline min or > baseline max ÷ current non-missing values";
    public override IReadOnlyList<MetricThreshold> Thresholds { get; } =
    [
        new("out_of_range_share_warning", "Out-of-range share warning", AlertLevel.Warning, ThresholdDirection.AtOrAbove, 0.05),
        new("out_of_range_share_critical", "Out-of-range share critical", AlertLevel.Critical, ThresholdDirection.AtOrAbove, 0.2),
    ];

    public override double? Compute(FeatureInput input)
    {
        if (input.SortedNumbers is not { } memory || input.Baseline.SortedValues.Length == 0 || memory.IsEmpty) return null;
        var sorted = memory.Span;
        double min = input.Baseline.SortedValues[0], max = input.Baseline.SortedValues[^1];
        // Sorted: the values below the minimum lead, those above the maximum trail.
        var below = 0;
        while (below < sorted.Length && sorted[below] < min) below++;
        var above = 0;
        while (above < sorted.Length - below && sorted[sorted.Length - 1 - above] > max) above++;
        return (double)(below + above) / sorted.Length;
    }
}
