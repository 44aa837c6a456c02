using System.Collections.Concurrent;
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
    AlertDispatcher alerts,
    ActionLog log,
    IOptions<MonitoringOptions> options,
    TimeProvider clock,
    ILogger<DriftRunner> logger,
    Operations.DriftMetrics metrics)
{
    // Baselines prepared once per configuration and baseline version, reused by every run.
    private readonly ConcurrentDictionary<string, (string Version, DriftDetector Detector)> _detectors = new();

    public Task<DriftRun> RunScheduledAsync(string modelId, DateTimeOffset? scheduledFor, CancellationToken ct = default) =>
        RunAsync(modelId, "scheduled", scheduledFor, null, ct);

    /// <summary>A run now, on the data given (or, when null, on the observations received since the last run).</summary>
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
            run.WindowStart = data is null ? await WindowStartAsync(model, now, timeout.Token) : null;
            var input = data ?? await observations.WindowAsync(modelId, run.WindowStart, now, timeout.Token);
            var detector = await DetectorAsync(model, timeout.Token);
            var report = await Task.Run(() => Compute(detector, model, input), timeout.Token).WaitAsync(options.Value.RunTimeout, clock, ct);

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

    private static DriftReport Compute(DriftDetector detector, ModelConfigView model, ObservationBatch input)
    {
        if (input.RowCount == 0 && input.Bias.Count == 0 && input.SafetyEvents.Count == 0)
            throw new MonitoringInputException("observations", "no data arrived in this run's window");
        var current = input.Columns.ToDictionary(c => c.Key, c => FeatureColumn.Text(c.Value));
        FeatureColumn? outputs = model.OutputColumn is { } o && current.TryGetValue(o, out var column) ? column : null;
        return detector.Compute(current, outputs, input.Bias, input.SafetyEvents);
    }

    private async Task<DriftDetector> DetectorAsync(ModelConfigView model, CancellationToken ct)
    {
        await using var db = await database.CreateDbContextAsync(ct);
        // Only the upload time is read on every run; the baseline itself (up to 64 MiB) only when it changed.
        var uploadedAt = await db.Baselines.Where(b => b.ModelId == model.ModelId).Select(b => (DateTime?)b.UploadedAt).FirstOrDefaultAsync(ct)
            ?? throw new MonitoringInputException("baseline", $"model '{model.ModelId}' has no baseline; upload one first");
        var version = $"{model.UpdatedAt:O}|{uploadedAt:O}";
        if (_detectors.TryGetValue(model.ModelId, out var cached) && cached.Version == version) return cached.Detector;

        var text = await db.Baselines.Where(b => b.ModelId == model.ModelId).Select(b => b.Csv).FirstAsync(ct);
        using var csv = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text));
        var columns = CsvDataset.Load(csv, "baseline");
        FeatureColumn? outputs = null;
        if (model.OutputColumn is { } output && columns.Remove(output, out var outputColumn)) outputs = outputColumn;
        var detector = new DriftDetector(columns, new DriftDetectorOptions
        {
            Features = model.Features.Count > 0 ? model.Features : null,
            Categorical = new HashSet<string>(model.Categorical, StringComparer.Ordinal),
            Thresholds = model.Thresholds,
            OutputColumn = model.OutputColumn,
        }, outputs);
        _detectors[model.ModelId] = (version, detector);
        return detector;
    }

    /// <summary>The start of this run's window: a trailing window, or the end of the previous run's.</summary>
    private async Task<DateTime?> WindowStartAsync(ModelConfigView model, DateTime now, CancellationToken ct)
    {
        if (model.TrailingWindowHours is { } hours) return now.AddHours(-hours);
        await using var db = await database.CreateDbContextAsync(ct);
        return await db.Runs.Where(r => r.ModelId == model.ModelId && r.Status == RunStatus.Completed && r.WindowEnd != null)
            .MaxAsync(r => r.WindowEnd, ct);
    }

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
