namespace MonitorConsole.Drift.Metrics;

/// <summary>Data quality (spec v1.1): current columns the baseline did not have.</summary>
public sealed class ColumnsAdded : DriftMetric
{
    public override string Name => "columns_added";
    public override string Label => "Columns added";
    public override MetricScope AppliesTo => MetricScope.Dataset;
    public override int Order => 150;
    public override string Spec => "1.1";
    public override string Format => "0";
    public override string Definition => "number of current columns absent from the baseline (output column excluded)";

    // Not used by default: production rows often carry ids or timestamps the baseline never had.
    public override IReadOnlyList<MetricThreshold> Thresholds { get; } =
    [
        new("columns_added_warning", "Columns added warning", AlertLevel.Warning, ThresholdDirection.AtOrAbove, null),
    ];

    public override double? Compute(DatasetInput input) => input.CurrentColumns.Count(c => !input.BaselineColumns.Contains(c));
}
