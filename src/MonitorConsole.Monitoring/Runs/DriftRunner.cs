using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MonitorConsole.Drift;
using MonitorConsole.Access;
using MonitorConsole.Monitoring.Alerts;
using MonitorConsole.Monitoring.Ingestion;
using MonitorConsole.Monitoring.Models;
using MonitorConsole.Monitoring.Storage;

namespace MonitorConsole.Monitoring.Runs;

/// <summary>
/// Runs one drift check and records it (the seed's run_scheduled): SKIPPED for a disabled model, FAILED with the
/// reason for bad data or a timeout, COMPLETED with every metric otherwise. It never throws for a bad run, so one
/// failing model cannot stop the scheduler or the others.
/// </summary>
public sealed class DriftRunner(
    MonitoringDatabase database,
    ModelConfigService models,
    ObservationService observations,
    BaselineCache baselines,
    AlertDispatcher alerts,
    ActionLog log,
    IOptions<MonitoringOptions> options,
    TimeProvider clock,
    ILogger<DriftRunner> logger,
    Operations.DriftMetrics metrics)
{
    public Task<DriftRun> RunScheduledAsync(string modelId, DateTimeOffset? scheduledFor, CancellationToken ct = default) =>
        RunAsync(modelId, "scheduled", scheduledFor, null, ct);

    /// <summary>
    /// A run now, on the data given — which leaves stored observations for the next run — or, when null, on the
    /// observations no run has used yet, like a scheduled run.
    /// </summary>
    public async Task<DriftRun> RunNowAsync(Caller caller, string modelId, ObservationBatch? data, CancellationToken ct = default)
    {
        caller.Require(Permission.RunChecks);
        var run = await RunAsync(modelId, "manual", null, data, ct);
        await log.RecordAsync(RunRequestedAction, caller.Actor, "model", modelId,
            new { check_id = run.CheckId, status = run.Status, alert_level = run.AlertLevel }, CancellationToken.None);
        return run;
    }

    /// <summary>Who ran a check by hand, and what it found (scheduled runs are in the run history).</summary>
    public const string RunRequestedAction = "DRIFT_CHECK_RUN";

    private async Task<DriftRun> RunAsync(string modelId, string trigger, DateTimeOffset? scheduledFor, ObservationBatch? data, CancellationToken ct)
    {
        var model = await models.GetAsync(modelId, ct) ?? throw new ModelNotFoundException(modelId);
        var started = clock.GetTimestamp();
        var now = clock.GetUtcNow().UtcDateTime;
        var run = new DriftRun
        {
            CheckId = Guid.CreateVersion7(clock.GetUtcNow()).ToString("N")[..16],
            ModelId = modelId,
            ModelVersion = model.ModelVersion,
            Timestamp = now,
            ScheduledFor = scheduledFor?.UtcDateTime,
            Trigger = trigger,
            Status = model.Enabled ? RunStatus.Running : RunStatus.Skipped,
            WindowEnd = now,
        };
        await SaveAsync(run, null, ct);
        if (!model.Enabled)
        {
            metrics.RunFinished(run);
            return run;
        }

        var results = RunResultRows.Empty;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(options.Value.RunTimeout);
            // The baseline first: a run that cannot start claims nothing, so no batch is set aside for it.
            var detector = await DetectorAsync(model, timeout.Token);
            ObservationWindow input;
            if (data is null)
            {
                input = await observations.ClaimWindowAsync(modelId, run.CheckId, now, model.TrailingWindowHours, timeout.Token);
                run.WindowStart = model.TrailingWindowHours is { } hours ? now.AddHours(-hours) : input.FirstReceivedAt;
            }
            else
            {
                input = ObservationWindow.Of(data);
                run.WindowEnd = null;
            }
            var report = await Task.Run(() => ComputeAsync(detector, model, input, timeout.Token), timeout.Token)
                .WaitAsync(options.Value.RunTimeout, clock, ct);

            run.Status = RunStatus.Completed;
            run.AlertLevel = report.OverallStatus.Label();
            run.AlertGenerated = report.OverallStatus >= AlertLevel.Warning;
            var summary = RunSummary.Of(model, run, report, input.RowCount);
            run.MetricsJson = JsonSerializer.Serialize(summary);
            results = RunResultRows.Of(run, report);
        }
        catch (Exception ex) when (ex is TimeoutException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            Fail(run, $"Drift check timeout after {options.Value.RunTimeout.TotalSeconds:0} seconds");
        }
        catch (Exception ex) when (ex is DriftInputException or MonitoringInputException)
        {
            Fail(run, ex.Message);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            logger.LogError(ex, "Drift check {CheckId} for {ModelId} failed", run.CheckId, modelId);
            Fail(run, $"{ex.GetType().Name}: {ex.Message}");
        }
        run.DurationMs = Math.Round(clock.GetElapsedTime(started).TotalMilliseconds, 3);
        await SaveAsync(run, results, CancellationToken.None);
        metrics.RunFinished(run);
        // After the facts: the run is saved before its alert is queued, and queuing never throws or sends.
        if (run.AlertGenerated) await alerts.RaiseAsync(model, run);
        logger.LogInformation("Drift check {CheckId} for {ModelId}: {Status} {Level} in {Duration} ms",
            run.CheckId, modelId, run.Status, run.AlertLevel, run.DurationMs);
        return run;
    }

    private static Task<DriftReport> ComputeAsync(DriftDetector detector, ModelConfigView model, ObservationWindow input, CancellationToken ct)
    {
        if (input.RowCount == 0 && input.Bias.Count == 0 && input.SafetyEvents.Count == 0)
            throw new MonitoringInputException("observations", "no data arrived in this run's window");
        return detector.ComputeAsync(input, model.OutputColumn, input.Bias, input.SafetyEvents, ct);
    }

    private async Task<DriftDetector> DetectorAsync(ModelConfigView model, CancellationToken ct) =>
        (await baselines.FindAsync(model, ct))?.Detector
        ?? throw new MonitoringInputException("baseline", $"model '{model.ModelId}' has no baseline; upload one first");

    private static void Fail(DriftRun run, string message)
    {
        run.Status = RunStatus.Failed;
        run.ErrorMessage = message;
        run.AlertGenerated = false;
    }

    private async Task SaveAsync(DriftRun run, RunResultRows? results, CancellationToken ct)
    {
        await using var db = await database.CreateDbContextAsync(ct);
        if (results is null) db.Runs.Add(run);
        else db.Runs.Update(run);
        if (results is not null)
        {
            db.RunMetrics.AddRange(results.Metrics);
            db.RunFeatureResults.AddRange(results.Features);
        }
        await db.SaveChangesAsync(ct);
    }
}
