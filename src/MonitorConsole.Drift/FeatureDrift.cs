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
    AlertLevel AlertLevel);

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
    int SafetyAlertCount);
