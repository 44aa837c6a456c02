namespace MonitorConsole.Monitoring.Models;

/// <summary>
/// One metric's value for one feature in one run (drift_run_metrics): results in long form, so a metric added to the
/// registry needs no migration. The data-set metrics use <see cref="DatasetFeature"/> as their feature.
/// </summary>
public sealed class DriftRunMetric
{
    /// <summary>The feature name of data-set metrics (columns added or gone): no CSV column can be named so.</summary>
    public const string DatasetFeature = "";

    public long Id { get; set; }
    public string CheckId { get; set; } = "";
    public string ModelId { get; set; } = "";
    public DateTime Timestamp { get; set; }
    public string Feature { get; set; } = "";
    public string Metric { get; set; } = "";
    public double Value { get; set; }
}

/// <summary>
/// One feature's outcome in one run (drift_run_feature_results): its kind, its level, and the bins with both sides'
/// shares (compact JSON) so a run's report page draws its distributions without recomputing anything.
/// </summary>
public sealed class DriftRunFeatureResult
{
    public long Id { get; set; }
    public string CheckId { get; set; } = "";
    public string ModelId { get; set; } = "";
    public DateTime Timestamp { get; set; }
    public string Feature { get; set; } = "";
    public string Kind { get; set; } = "";
    public string AlertLevel { get; set; } = "";

    /// <summary>{"bins":[…],"baseline":[…],"current":[…],"baseline_count":n,"current_count":m}; null for rows migrated from before it was kept.</summary>
    public string? DistributionJson { get; set; }
}
