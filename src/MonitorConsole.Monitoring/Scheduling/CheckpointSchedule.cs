using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MonitorConsole.Audit;
using MonitorConsole.Audit.Checkpoints;

namespace MonitorConsole.Monitoring.Scheduling;

/// <summary>
/// Signs a checkpoint every Audit:Checkpoints:Interval when the chain has grown since the last one, so truncation is
/// detectable even if nobody asks for checkpoints by hand. On start it also fills the proofs' block cache in the
/// background, so the first proof asked of a restarted console is not a pass over the whole chain.
/// </summary>
public sealed class CheckpointSchedule(
    CheckpointService checkpoints, Audit.Merkle.LedgerProofs proofs, Audit.Queries.AuditQueries queries, IOptions<AuditOptions> options,
    TimeProvider clock, ILogger<CheckpointSchedule> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            await proofs.WarmAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Could not prepare the Merkle block cache; the first proof will read the whole chain");
        }

        var interval = options.Value.Checkpoints.Interval;
        if (interval <= TimeSpan.Zero) return;
        using var timer = new PeriodicTimer(interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await MakeIfGrownAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "The scheduled checkpoint failed; the next one is due in {Interval}", interval);
            }
        }
    }

    /// <summary>Makes a checkpoint unless the newest one already covers the whole chain.</summary>
    public async Task<Checkpoint?> MakeIfGrownAsync(CancellationToken ct)
    {
        var latest = await checkpoints.LatestAsync(ct);
        if (latest is not null && (await queries.GetSummaryAsync(ct)).ChainLength == latest.TreeSize) return null;
        return await checkpoints.CreateAsync(ct);
    }
}
