using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MonitorConsole.Audit;
using MonitorConsole.Audit.Chain;
using MonitorConsole.Monitoring.Models;
using MonitorConsole.Monitoring.Storage;

namespace MonitorConsole.Monitoring.Alerts;

/// <summary>
/// Raises the alert of a saved WARNING or CRITICAL run: a DRIFT_ALERT ledger entry, then the alert and one outbox row
/// per target (the model's list and Monitoring:AlertWebhook) in one transaction, which the delivery loop then works
/// off. An alert unchanged since one sent within the cooldown gets no outbox rows and says why. Nothing is sent here,
/// and nothing here ever fails the run.
/// </summary>
public sealed class AlertDispatcher(
    MonitoringDatabase database,
    AuditWriter audit,
    AlertOutboxSignal outbox,
    Operations.DriftMetrics metrics,
    IOptions<MonitoringOptions> options,
    TimeProvider clock,
    ILogger<AlertDispatcher> logger)
{
    public const string HttpClientName = "drift-webhooks";
    public const string AlertAction = "DRIFT_ALERT";
    public const string Actor = "drift_scheduler";

    /// <summary>The alert as recorded, or null when it could not be recorded (logged; the run stands).</summary>
    public async Task<DriftAlert?> RaiseAsync(ModelConfigView model, DriftRun run)
    {
        try
        {
            return await RaiseCoreAsync(model, run);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "The alert of drift check {CheckId} for {ModelId} could not be recorded", run.CheckId, run.ModelId);
            return null;
        }
    }

    private async Task<DriftAlert> RaiseCoreAsync(ModelConfigView model, DriftRun run)
    {
        var message = AlertMessage.Of(run);
        var now = clock.GetUtcNow().UtcDateTime;
        var alert = new DriftAlert
        {
            CheckId = run.CheckId,
            ModelId = run.ModelId,
            RaisedAt = now,
            Level = message.Level,
            DriftedFeatures = string.Join(",", message.DriftedFeatures),
        };
        await using var db = await database.CreateDbContextAsync(CancellationToken.None);
        alert.SuppressedReason = await CooldownAsync(db, alert);

        await audit.AppendAsync(new AuditEntryDraft(AlertAction, Actor, "model", model.ModelId, run.MetricsJson,
            JsonSerializer.Serialize(new { severity = run.AlertLevel, check_id = run.CheckId, suppressed = alert.SuppressedReason }, LedgerJson.Options)),
            CancellationToken.None);

        db.Alerts.Add(alert);
        var refused = 0;
        if (alert.SuppressedReason is null)
        {
            var entries = model.Webhooks.ToList();
            if (!string.IsNullOrWhiteSpace(options.Value.AlertWebhook)) entries.Add(options.Value.AlertWebhook);
            foreach (var entry in entries.Select(e => e.Trim()).Distinct(StringComparer.Ordinal))
            {
                var delivery = Delivery(entry, message, now);
                if (delivery.State == DeliveryState.Failed) refused++;
                db.AlertDeliveries.Add(delivery);
            }
        }
        await db.SaveChangesAsync(CancellationToken.None);
        for (var i = 0; i < refused; i++) metrics.DeliveryFailed();
        if (alert.SuppressedReason is not null)
            logger.LogInformation("Drift alert of {CheckId} for {ModelId} not sent: {Reason}", run.CheckId, run.ModelId, alert.SuppressedReason);
        outbox.Wake();
        return alert;
    }

    /// <summary>
    /// An entry the settings no longer allow (http turned off, say) is a delivery that failed before any attempt, so the
    /// run shows it rather than losing it.
    /// </summary>
    private AlertDelivery Delivery(string entry, AlertMessage message, DateTime now)
    {
        var delivery = new AlertDelivery { CheckId = message.CheckId, ModelId = message.ModelId, CreatedAt = now, NextAttemptAt = now };
        try
        {
            var target = AlertTarget.Parse(entry, options.Value);
            delivery.Channel = target.Channel;
            delivery.Target = target.Address;
            delivery.Payload = message.Render(target.Channel);
            delivery.State = DeliveryState.Pending;
        }
        catch (MonitoringInputException ex)
        {
            delivery.Channel = AlertChannel.Webhook;
            delivery.Target = entry;
            delivery.State = DeliveryState.Failed;
            delivery.LastError = ex.Problem;
        }
        return delivery;
    }

    private async Task<string?> CooldownAsync(MonitoringDbContext db, DriftAlert alert)
    {
        var cooldown = options.Value.AlertCooldown;
        if (cooldown <= TimeSpan.Zero) return null;
        var since = alert.RaisedAt - cooldown;
        var last = await db.Alerts.AsNoTracking()
            .Where(a => a.ModelId == alert.ModelId && a.SuppressedReason == null && a.RaisedAt >= since && a.CheckId != alert.CheckId)
            .OrderByDescending(a => a.RaisedAt).FirstOrDefaultAsync(CancellationToken.None);
        if (last is null || last.DriftedFeatures != alert.DriftedFeatures || Rank(alert.Level) > Rank(last.Level)) return null;
        var features = alert.DriftedFeatures.Length == 0 ? "no feature drift" : alert.DriftedFeatures.Replace(",", ", ", StringComparison.Ordinal);
        return $"{alert.Level} with the same drifted features ({features}) as the {last.Level} alert of check {last.CheckId} sent at " +
               $"{last.RaisedAt:yyyy-MM-dd HH:mm} UTC; not sent again before {last.RaisedAt + cooldown:yyyy-MM-dd HH:mm} UTC " +
               $"(cooldown {cooldown.TotalHours:0.##} h)";
    }

    private static int Rank(string level) => level switch
    {
        "CRITICAL" => 2,
        "WARNING" => 1,
        _ => 0,
    };
}

/// <summary>Wakes the delivery loop when alerts were queued, so they need not wait for the next poll.</summary>
public sealed class AlertOutboxSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next <see cref="Wake"/>.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    public void Wake() =>
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
