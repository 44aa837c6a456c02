namespace MonitorConsole.Drift.Metrics;

/// <summary>Data quality (spec v1.1): how much more of the feature is missing now than in the baseline.</summary>
public sealed class MissingShareIncrease : DriftMetric
{
    public override string Name => "missing_share_increase";
    public override string Label => "Missing share increase";
    public override MetricScope AppliesTo => MetricScope.Both;
    public override int Order => 110;
    public override string Spec => "1.1";
    public override double LargestThreshold => 1;
    public override string Definition => "max(0, current missing ÷ current rows − baseline missing ÷ baseline rows)";
    public override IReadOnlyList<MetricThreshold> Thresholds { get; } =
    [
        new("missing_share_increase_warning", "Missing share increase warning", AlertLevel.Warning, ThresholdDirection.AtOrAbove, 0.1),
        new("missing_share_increase_critical", "Missing share increase critical", AlertLevel.Critical, ThresholdDirection.AtOrAbove, 0.3),
    ];

    public override double? Compute(FeatureInput input) =>
        Math.Max(0, input.Drift.CurrentMissingShare - input.Drift.BaselineMissingShare);
}
