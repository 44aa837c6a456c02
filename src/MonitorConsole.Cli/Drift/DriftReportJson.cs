using MonitorConsole.Drift;
using MonitorConsole.Drift.Metrics;

namespace MonitorConsole.Cli.Drift;

/// <summary>The JSON shape of a drift report, as docs/drift-metrics.md shows it: snake_case, full-precision doubles.</summary>
public static class DriftReportJson
{
    public static object From(DriftReport report) => new
    {
        overall_status = report.OverallStatus.Label(),
        features_monitored = report.FeaturesMonitored,
        input_drift_count = report.InputDriftCount,
        drift_share = report.DriftShare,
        features = report.Features.ToDictionary(f => f.Key, f => Feature(f.Value)),
        output_drift = report.OutputDrift is null ? null : Feature(report.OutputDrift),
        dataset = Dataset(report),
        bias = report.Bias.Select(b => new
        {
            metric_name = b.Observation.MetricName,
            stratum_type = b.Observation.StratumType,
            stratum_value = b.Observation.StratumValue,
            baseline_value = b.Observation.BaselineValue,
            current_value = b.Observation.CurrentValue,
            difference = b.Difference,
            alert_level = b.AlertLevel.Label(),
        }),
        safety_alert_count = report.SafetyAlertCount,
        bias_alert_count = report.BiasAlertCount,
    };

    public static Dictionary<string, object?> Feature(FeatureDrift f)
    {
        var json = new Dictionary<string, object?>
        {
            ["type"] = f.Kind.Label(),
            ["psi"] = f.Psi,
            ["kl"] = f.Kl,
            ["js"] = f.Js,
            ["alert_level"] = f.AlertLevel.Label(),
            ["baseline_missing_share"] = f.BaselineMissingShare,
            ["current_missing_share"] = f.CurrentMissingShare,
            ["baseline_count"] = f.BaselineCount,
            ["current_count"] = f.CurrentCount,
        };
        if (f.Kind == FeatureKind.Numeric)
        {
            json["wasserstein"] = f.Wasserstein;
            json["ks_statistic"] = f.KsStatistic;
            json["ks_p_value"] = f.KsPValue;
        }
        else
        {
            json["chi2_statistic"] = f.Chi2Statistic;
            json["chi2_p_value"] = f.Chi2PValue;
        }
        // Every registry metric that applies (the v1 ones above again, same values), so a new metric shows up here.
        foreach (var v in f.Values) json[v.Metric] = v.Value;
        json["bins"] = f.Bins;
        json["baseline_shares"] = f.BaselineShares;
        json["current_shares"] = f.CurrentShares;
        return json;
    }

    public static Dictionary<string, object?>? Dataset(DriftReport report)
    {
        if (report.Dataset.Count == 0) return null;
        var json = new Dictionary<string, object?> { ["alert_level"] = report.DatasetLevel.Label() };
        foreach (var v in report.Dataset) json[v.Metric] = v.Value;
        return json;
    }
}
