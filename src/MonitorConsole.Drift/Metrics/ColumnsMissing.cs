namespace MonitorConsole.Drift.Metrics;

/// <summary>Data quality (spec v1.1): baseline columns the current data no longer has.</summary>
public sealed class ColumnsMissing : DriftMetric
{
    public override string Name => "columns_missing";
    public override string Label => "Columns gone";
    public override MetricScope AppliesTo => MetricScope.Dataset;
    public override int Order => 140;
    public override string Spec => "1.1";
    public override string Format => "0";
    public override string Definition => "number of baseline columns absent from the current data (output column excluded)";
    // Not used by default: a baseline often carries columns production rows never have (labels, ids), and a monitored
    // feature that is gone already fails the run naming it.
    public override IReadOnlyList<MetricThreshold> Thresholds { get; } =
    [
        new("columns_missing_warning", "Columns gone warning", AlertLevel.Warning, ThresholdDirection.AtOrAbove, null),
        new("columns_missing_critical", "Columns gone critical", AlertLevel.Critical, ThresholdDirection.AtOrAbove, null),
    ];

    public override double? Compute(DatasetInput input) => input.BaselineColumns.Count(c => !input.CurrentColumns.Contains(c));
}
