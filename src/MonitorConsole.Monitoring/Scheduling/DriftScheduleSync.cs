using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MonitorConsole.Monitoring.Models;
using MonitorConsole.Monitoring.Storage;
using Quartz;

namespace MonitorConsole.Monitoring.Scheduling;

/// <summary>
/// Keeps Quartz's triggers in step with the model configurations: one cron trigger per model in its time zone. On
/// start it schedules every model and, for a model whose last slot passed while the host was down, runs it once —
/// once, not once per missed slot.
/// </summary>
public sealed class DriftScheduleSync(
    MonitoringDatabase database,
    IServiceProvider services,
    TimeProvider clock,
    ILogger<DriftScheduleSync> logger) : IHostedService
{
    public const string Group = "drift";
    private IScheduler? _scheduler;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (services.GetService(typeof(ISchedulerFactory)) is not ISchedulerFactory factory) return;
        _scheduler = await factory.GetScheduler(cancellationToken);
        await using var db = await database.CreateDbContextAsync(cancellationToken);
        var configs = await db.Models.AsNoTracking().ToListAsync(cancellationToken);
        var lastRuns = await db.Runs.Where(r => r.Trigger == "scheduled")
            .GroupBy(r => r.ModelId).Select(g => new { g.Key, Last = g.Max(r => r.Timestamp) })
            .ToDictionaryAsync(x => x.Key, x => x.Last, cancellationToken);
        var now = clock.GetUtcNow();
        foreach (var config in configs)
        {
            // One model that cannot be scheduled (a configuration saved before its cron was checked, say) must not
            // keep the console or the other models from starting.
            try
            {
                await ScheduleAsync(config, cancellationToken);
            }
            catch (Exception ex) when (ex is SchedulerException or MonitoringInputException)
            {
                logger.LogError(ex, "Model {ModelId} is not scheduled: {Problem}. Edit its schedule to resume its checks", config.ModelId, ex.Message);
                continue;
            }
            var since = lastRuns.TryGetValue(config.ModelId, out var last) ? last : config.UpdatedAt;
            var missed = ScheduleCalculator.LastSlotBetween(ScheduleCalculator.Expression(config),
                new DateTimeOffset(DateTime.SpecifyKind(since, DateTimeKind.Utc)), now);
            if (missed is { } slot) await CatchUpAsync(config.ModelId, slot, cancellationToken);
        }
    }

    /// <summary>
    /// Runs a missed slot once in the whole cluster: the one-off trigger is named after the model and the slot, so
    /// when several nodes start together the clustered store keeps only the first; a node starting after that run
    /// began finds it in the history and skips (<see cref="DriftCheckJob"/>).
    /// </summary>
    private async Task CatchUpAsync(string modelId, DateTimeOffset slot, CancellationToken ct)
    {
        var trigger = TriggerBuilder.Create(clock)
            .WithIdentity(new TriggerKey($"{modelId}@{slot.UtcTicks}", CatchUpGroup))
            .ForJob(JobKeyOf(modelId))
            .UsingJobData(DriftCheckJob.CatchUpSlotKey, slot.ToString("O"))
            .StartNow()
            .Build();
        try
        {
            await _scheduler!.ScheduleJob(trigger, new ScheduleJobOptions(), ct);
            logger.LogInformation("Model {ModelId} missed its run at {Slot} while stopped; running it once now", modelId, slot);
        }
        catch (ObjectAlreadyExistsException)
        {
            logger.LogInformation("Model {ModelId}: another node is already catching up its run at {Slot}", modelId, slot);
        }
    }

    public const string CatchUpGroup = "drift-catch-up";

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>(Re)schedules the model's trigger; a no-op when no scheduler runs in this process.</summary>
    public async Task ScheduleAsync(ModelConfig config, CancellationToken ct)
    {
        if (_scheduler is null) return;
        var job = JobBuilder.Create<DriftCheckJob>()
            .WithIdentity(JobKeyOf(config.ModelId))
            .UsingJobData(DriftCheckJob.ModelIdKey, config.ModelId)
            .StoreDurably()
            .Build();
        var trigger = TriggerBuilder.Create(clock)
            .WithIdentity(new TriggerKey(config.ModelId, Group))
            .ForJob(job)
            .WithSchedule(CronScheduleBuilder.Create(ScheduleCalculator.Expression(config))
                .WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
            .Build();
        await _scheduler.ScheduleJob(job, [trigger], new ScheduleJobOptions { Replace = true }, ct);
    }

    public async Task UnscheduleAsync(string modelId, CancellationToken ct)
    {
        if (_scheduler is null) return;
        await _scheduler.DeleteJob(JobKeyOf(modelId), ct);
    }

    /// <summary>The next fire time Quartz holds for the model, if it is scheduled here.</summary>
    public async Task<DateTimeOffset?> NextFireTimeAsync(string modelId, CancellationToken ct)
    {
        if (_scheduler is null) return null;
        var trigger = await _scheduler.GetTrigger(new TriggerKey(modelId, Group), ct);
        return trigger?.NextFireTimeUtc;
    }

    public static JobKey JobKeyOf(string modelId) => new(modelId, Group);
}

/// <summary>The Quartz job: one drift check for the model in its job data.</summary>
[DisallowConcurrentExecution]
public sealed class DriftCheckJob(Runs.DriftRunner runner, MonitoringDatabase database, ILogger<DriftCheckJob> logger) : IJob
{
    public const string ModelIdKey = "modelId";
    public const string CatchUpSlotKey = "scheduledFor";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var modelId = context.MergedJobDataMap.GetString(ModelIdKey);
        if (string.IsNullOrEmpty(modelId)) return;
        var catchUp = context.MergedJobDataMap.TryGetValue(CatchUpSlotKey, out var s) && s is string text
            ? DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture)
            : (DateTimeOffset?)null;
        var scheduledFor = catchUp ?? context.ScheduledFireTimeUtc;
        try
        {
            if (catchUp is { } slot && await SlotAlreadyRunAsync(modelId, slot.UtcDateTime, cancellationToken))
            {
                logger.LogInformation("Model {ModelId}: its run at {Slot} was caught up by another node", modelId, slot);
                return;
            }
            await runner.RunScheduledAsync(modelId, scheduledFor, cancellationToken);
        }
        catch (ModelNotFoundException)
        {
            logger.LogInformation("Model {ModelId} was deleted; its trigger fired once more", modelId);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Never let one model's failure reach the scheduler thread.
            logger.LogError(ex, "Drift check for {ModelId} could not be recorded", modelId);
        }
    }

    private async Task<bool> SlotAlreadyRunAsync(string modelId, DateTime slot, CancellationToken ct)
    {
        await using var db = await database.CreateDbContextAsync(ct);
        return await db.Runs.AnyAsync(r => r.ModelId == modelId && r.Trigger == "scheduled" && r.ScheduledFor >= slot, ct);
    }
}
