using MonitorConsole.Drift;
using MonitorConsole.Drift.Metrics;
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
            // The metrics that raised the feature (data-quality checks among them), so an alert says why.
            ["raised_by"] = RaisedBy(f.Value.Values),
        }),
        ["dataset"] = report.Dataset.Count == 0 ? null : report.Dataset.ToDictionary(v => v.Metric, v => (object?)v.Value),
        ["dataset_level"] = report.Dataset.Count == 0 ? null : report.DatasetLevel.Label(),
    };

    private static Dictionary<string, string> RaisedBy(IReadOnlyList<MetricValue> values) =>
        values.Where(v => v.Level >= AlertLevel.Warning).ToDictionary(v => v.Metric, v => v.Level.Label());
}
