using MonitorConsole.Drift.Metrics;

namespace MonitorConsole.Drift;

/// <summary>One feature's drift: every metric of spec v1 and the level they give.</summary>
public sealed record FeatureDrift(
    string Name,
    FeatureKind Kind,
    double Psi,
    double Kl,
    double Js,
    double? Wasserstein,
    double? KsStatistic,
    double? KsPValue,
    double? Chi2Statistic,
    double? Chi2PValue,
    double BaselineMissingShare,
    double CurrentMissingShare,
    int BaselineCount,
    int CurrentCount,
    IReadOnlyList<string> Bins,
    IReadOnlyList<double> BaselineShares,
    IReadOnlyList<double> CurrentShares,
    AlertLevel AlertLevel)
{
    /// <summary>Every registry metric that applies to this feature, with the level each gives (registry order).</summary>
    public IReadOnlyList<MetricValue> Values { get; init; } = [];

    public double? Value(string metric) => Values.FirstOrDefault(v => v.Metric == metric)?.Value;
}

public sealed record BiasObservation(
    string MetricName, string StratumType, string StratumValue, double BaselineValue, double CurrentValue);

public sealed record BiasResult(BiasObservation Observation, double Difference, AlertLevel AlertLevel);

public enum SafetySeverity
{
    Low,
    Medium,
    High,
    Critical,
}

public sealed record SafetyEvent(string EventType, SafetySeverity Severity, string? Description = null);

/// <summary>The outcome of one drift check: overall status = the worst level found anywhere.</summary>
public sealed record DriftReport(
    AlertLevel OverallStatus,
    IReadOnlyDictionary<string, FeatureDrift> Features,
    FeatureDrift? OutputDrift,
    IReadOnlyList<BiasResult> Bias,
    IReadOnlyList<SafetyEvent> SafetyEvents,
    int FeaturesMonitored,
    int InputDriftCount,
    double DriftShare,
    int BiasAlertCount,
    int SafetyAlertCount)
{
    /// <summary>The data-set metrics (columns added or gone); empty when the window had no rows.</summary>
    public IReadOnlyList<MetricValue> Dataset { get; init; } = [];

    public AlertLevel DatasetLevel => Dataset.Count == 0 ? AlertLevel.Normal : Dataset.Max(v => v.Level);
}
