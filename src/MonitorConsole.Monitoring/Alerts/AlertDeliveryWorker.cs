using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MonitorConsole.Monitoring.Storage;

namespace MonitorConsole.Monitoring.Alerts;

/// <summary>
/// Works off the alert outbox: claims due deliveries one at a time with a lease (a conditional UPDATE, so in a
/// cluster exactly one node gets each), makes one attempt, records it, and schedules the next with exponential
/// backoff and jitter until the delivery succeeds, fails for good (a 4xx other than 408/429, a target the settings
/// refuse, no SMTP host) or has used up Monitoring:WebhookAttempts.
/// </summary>
public sealed class AlertDeliveryWorker(
    MonitoringDatabase database,
    IHttpClientFactory http,
    EmailSender email,
    Operations.DriftMetrics metrics,
    IOptions<MonitoringOptions> options,
    TimeProvider clock,
    ILogger<AlertDeliveryWorker> logger)
{
    private const int BatchSize = 20;

    /// <summary>This node's name on the leases it takes.</summary>
    public string NodeId { get; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Makes one attempt at each due delivery this node can claim; returns how many attempts it made.</summary>
    public async Task<int> DeliverDueAsync(CancellationToken ct = default)
    {
        var attempts = 0;
        while (!ct.IsCancellationRequested)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            List<long> due;
            await using (var db = await database.CreateDbContextAsync(ct))
            {
                due = await db.AlertDeliveries.Where(d => d.State == DeliveryState.Pending && d.NextAttemptAt <= now && (d.LeaseUntil == null || d.LeaseUntil < now))
                    .OrderBy(d => d.NextAttemptAt).ThenBy(d => d.Id).Select(d => d.Id).Take(BatchSize).ToListAsync(ct);
            }
            var claimedAny = false;
            foreach (var id in due)
            {
                if (ct.IsCancellationRequested) break;
                if (!await ClaimAsync(id, ct)) continue;
                claimedAny = true;
                if (await AttemptAsync(id, ct)) attempts++;
            }
            if (due.Count < BatchSize || !claimedAny) break;
        }
        return attempts;
    }

    /// <summary>Takes the lease if nobody holds it: the database decides between nodes asking at once.</summary>
    private async Task<bool> ClaimAsync(long id, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var until = now + options.Value.AlertDeliveryLease;
        await using var db = await database.CreateDbContextAsync(ct);
        var claimed = await db.AlertDeliveries
            .Where(d => d.Id == id && d.State == DeliveryState.Pending && d.NextAttemptAt <= now && (d.LeaseUntil == null || d.LeaseUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.LeaseUntil, until).SetProperty(d => d.LeaseOwner, NodeId), ct);
        return claimed == 1;
    }

    /// <returns>False when the host stopped during the attempt: the lease is given back and nothing is counted.</returns>
    private async Task<bool> AttemptAsync(long id, CancellationToken ct)
    {
        await using var db = await database.CreateDbContextAsync(CancellationToken.None);
        var delivery = await db.AlertDeliveries.FirstAsync(d => d.Id == id, CancellationToken.None);
        AttemptResult result;
        try
        {
            result = delivery.Channel == AlertChannel.Email
                ? await email.SendAsync(delivery.Target, delivery.Payload, ct)
                : await PostAsync(delivery.Target, delivery.Payload, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            delivery.LeaseUntil = null;
            delivery.LeaseOwner = null;
            await db.SaveChangesAsync(CancellationToken.None);
            return false;
        }
        catch (Exception ex)
        {
            result = new AttemptResult(false, null, $"{ex.GetType().Name}: {ex.Message}", Permanent: false);
        }
        await RecordAsync(db, delivery, result);
        return true;
    }

    private async Task RecordAsync(MonitoringDbContext db, AlertDelivery delivery, AttemptResult result)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var log = JsonSerializer.Deserialize<List<DeliveryAttempt>>(delivery.AttemptLogJson) ?? [];
        log.Add(new DeliveryAttempt(now, result.Delivered, result.Status, result.Error));
        delivery.AttemptLogJson = JsonSerializer.Serialize(log);
        delivery.Attempts++;
        delivery.LeaseUntil = null;
        delivery.LeaseOwner = null;
        delivery.LastError = result.Error;
        var failed = false;
        if (result.Delivered)
        {
            delivery.State = DeliveryState.Delivered;
            delivery.DeliveredAt = now;
        }
        else if (result.Permanent || delivery.Attempts >= Math.Max(1, options.Value.WebhookAttempts))
        {
            delivery.State = DeliveryState.Failed;
            failed = true;
        }
        else
        {
            delivery.NextAttemptAt = now + Backoff(delivery.Attempts);
        }
        await db.SaveChangesAsync(CancellationToken.None);
        if (!failed) return;

        metrics.DeliveryFailed();
        logger.LogWarning("Drift alert of {CheckId} to {Channel} {Target} failed after {Attempts} attempt(s): {Error}",
            delivery.CheckId, delivery.Channel, delivery.Target, delivery.Attempts, result.Error);
        // The run's own column keeps saying what did not get through, as it did before the outbox (exports read it).
        var line = $"{delivery.Target}: {result.Error} after {delivery.Attempts} attempt(s)";
        await db.Runs.Where(r => r.CheckId == delivery.CheckId)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.WebhookErrors, r => r.WebhookErrors == null ? line : r.WebhookErrors + "\n" + line), CancellationToken.None);
    }

    /// <summary>The wait after <paramref name="attempts"/> failed attempts: doubling, capped, jittered to between half and all of it.</summary>
    public TimeSpan Backoff(int attempts)
    {
        var o = options.Value;
        var full = Math.Min(o.WebhookBackoff.TotalMilliseconds * Math.Pow(2, Math.Max(0, attempts - 1)), o.WebhookMaxBackoff.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(full / 2 + Random.Shared.NextDouble() * full / 2);
    }

    private async Task<AttemptResult> PostAsync(string target, string payload, CancellationToken ct)
    {
        Uri uri;
        try
        {
            // Checked again now: the settings may have changed since the alert was queued.
            uri = WebhookTargets.Check(target, options.Value);
        }
        catch (MonitoringInputException ex)
        {
            return new AttemptResult(false, null, ex.Problem, Permanent: true);
        }
        try
        {
            using var content = new StringContent(payload, Encoding.UTF8, "application/json");
            using var response = await http.CreateClient(AlertDispatcher.HttpClientName).PostAsync(uri, content, ct);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode) return new AttemptResult(true, status, null, false);
            var permanent = status is >= 400 and < 500 and not 408 and not 429;
            return new AttemptResult(false, status, $"HTTP {status}", permanent);
        }
        catch (HttpRequestException ex)
        {
            return new AttemptResult(false, null, ex.Message, false);
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return new AttemptResult(false, null, "no answer within 10 s", false);
        }
    }
}

/// <summary>The outcome of one attempt; <paramref name="Permanent"/> failures are not retried.</summary>
public sealed record AttemptResult(bool Delivered, int? Status, string? Error, bool Permanent);
