using System.Diagnostics.Metrics;
using MonitorConsole.Monitoring.Models;

namespace MonitorConsole.Monitoring.Operations;

/// <summary>
/// Drift monitoring's operational facts as counters (meter <see cref="MeterName"/>): finished runs by status and
/// trigger, alerts by level, and alert deliveries that failed after their retries. Labels stay few and fixed — no
/// model id — so the series count does not grow with the models configured; the run history has the per-model detail.
/// </summary>
public sealed class DriftMetrics : IDisposable
{
    public const string MeterName = "MonitorConsole.Monitoring";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _runs;
    private readonly Counter<long> _alerts;
    private readonly Counter<long> _webhookFailures;

    /// <param name="meterFactory">The host's meter factory; without one (the command line) the meter is private and nobody listens.</param>
    public DriftMetrics(IMeterFactory? meterFactory = null)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _runs = _meter.CreateCounter<long>("monitorconsole.drift.runs", "{run}", "Drift checks finished, by status (completed, failed, skipped) and trigger (scheduled, manual)");
        _alerts = _meter.CreateCounter<long>("monitorconsole.drift.alerts", "{alert}", "Drift alerts raised (WARNING or CRITICAL runs), by level");
        _webhookFailures = _meter.CreateCounter<long>("monitorconsole.drift.webhook.failures", "{delivery}", "Alert deliveries (webhook, Slack, Teams, e-mail) that failed after every retry or were refused");
    }

    public void RunFinished(DriftRun run)
    {
        _runs.Add(1, new KeyValuePair<string, object?>("status", run.Status.ToString().ToLowerInvariant()),
            new KeyValuePair<string, object?>("trigger", run.Trigger));
        if (run.AlertGenerated) _alerts.Add(1, new KeyValuePair<string, object?>("level", run.AlertLevel?.ToLowerInvariant()));
    }

    /// <summary>An alert delivery (webhook, Slack, Teams or e-mail) that failed for good.</summary>
    public void DeliveryFailed() => _webhookFailures.Add(1);

    public void Dispose()
    {
        if (_ownsMeter) _meter.Dispose();
    }
}
