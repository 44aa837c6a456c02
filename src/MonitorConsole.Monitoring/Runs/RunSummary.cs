using MonitorConsole.Drift;
using MonitorConsole.Monitoring.Models;

namespace MonitorConsole.Monitoring.Runs;

/// <summary>The report summary kept with a run and sent with its alert (snake_case, like the CLI and API).</summary>
internal static class RunSummary
{
    public static Dictionary<string, object?> Of(ModelConfigView model, DriftRun run, DriftReport report, int rows) => new()
    {
        ["model_id"] = model.ModelId,
        ["model_version"] = model.ModelVersion,
        ["check_id"] = run.CheckId,
        ["overall_status"] = report.OverallStatus.Label(),
        ["features_monitored"] = report.FeaturesMonitored,
        ["input_drift_count"] = report.InputDriftCount,
        ["drift_share"] = report.DriftShare,
        ["output_drift"] = report.OutputDrift is { } o ? o.AlertLevel.Label() : null,
        ["bias_alert_count"] = report.BiasAlertCount,
        ["safety_alert_count"] = report.SafetyAlertCount,
        ["rows"] = rows,
        ["features"] = report.Features.ToDictionary(f => f.Key, f => (object)new Dictionary<string, object?>
        {
            ["alert_level"] = f.Value.AlertLevel.Label(),
            ["psi"] = f.Value.Psi,
            ["kl"] = f.Value.Kl,
        }),
    };

    public static DriftRunFeature FeatureRow(DriftRun run, FeatureDrift f) => new()
    {
        CheckId = run.CheckId,
        ModelId = run.ModelId,
        Timestamp = run.Timestamp,
        Feature = f.Name,
        Kind = f.Kind.Label(),
        Psi = f.Psi,
        Kl = f.Kl,
        Js = f.Js,
        Wasserstein = f.Wasserstein,
        KsStatistic = f.KsStatistic,
        KsPValue = f.KsPValue,
        Chi2Statistic = f.Chi2Statistic,
        Chi2PValue = f.Chi2PValue,
        AlertLevel = f.AlertLevel.Label(),
    };
}
