using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MonitorConsole.Monitoring.Alerts;

/// <summary>
/// The host's delivery loop: works off the outbox at start (so alerts queued before a restart go out), whenever an
/// alert is queued, and every Monitoring:AlertDeliveryPollInterval for retries that fall due.
/// </summary>
public sealed class AlertDeliveryLoop(
    AlertDeliveryWorker worker,
    AlertOutboxSignal signal,
    IOptions<MonitoringOptions> options,
    TimeProvider clock,
    ILogger<AlertDeliveryLoop> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.AlertDeliveryEnabled) return;
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            var woken = signal.Next;
            try
            {
                await worker.DeliverDueAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The database may be away for a moment; the next pass tries again.
                logger.LogError(ex, "Alert delivery pass failed");
            }
            await Task.WhenAny(woken, Task.Delay(options.Value.AlertDeliveryPollInterval, clock, stoppingToken));
        }
    }
}
