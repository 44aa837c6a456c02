using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MonitorConsole.Monitoring.Storage;

namespace MonitorConsole.Monitoring.Ingestion;

/// <summary>
/// Deletes observations <see cref="MonitoringOptions.ObservationRetention"/> after the run that claimed them, every
/// <see cref="MonitoringOptions.RetentionSweepInterval"/>. Unclaimed observations are never deleted: no run has used them.
/// </summary>
public sealed class ObservationRetention(MonitoringDatabase database, IOptions<MonitoringOptions> options, TimeProvider clock,
    ILogger<ObservationRetention> logger) : BackgroundService
{
    /// <summary>Deletes the observations past retention now; returns how many batches went.</summary>
    public async Task<int> SweepAsync(CancellationToken ct = default)
    {
        var cutoff = clock.GetUtcNow().UtcDateTime - options.Value.ObservationRetention;
        await using var db = await database.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var expired = db.Observations.Where(o => o.ClaimedAt != null && o.ClaimedAt < cutoff);
        await db.ObservationColumns.Where(c => expired.Any(o => o.Id == c.ObservationId)).ExecuteDeleteAsync(ct);
        var deleted = await expired.ExecuteDeleteAsync(ct);
        await tx.CommitAsync(ct);
        return deleted;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RetentionSweepInterval, clock);
        do
        {
            try
            {
                var deleted = await SweepAsync(stoppingToken);
                if (deleted > 0) logger.LogInformation("Deleted {Count} observation batches past retention", deleted);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Observation retention sweep failed; it is tried again at the next interval");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
