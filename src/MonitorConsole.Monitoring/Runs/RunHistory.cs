using Microsoft.EntityFrameworkCore;
using MonitorConsole.Monitoring.Models;
using MonitorConsole.Monitoring.Scheduling;
using MonitorConsole.Monitoring.Storage;

namespace MonitorConsole.Monitoring.Runs;

public sealed record ScheduleEntry(
    string ModelId, string ModelVersion, ScheduleKind Schedule, string? Cron, string TimeZone, bool Enabled,
    DateTimeOffset? NextRunTime, DriftRun? LastRun);

public sealed record MonitoringStatistics(
    int TotalModelsConfigured,
    int TotalModelsEnabled,
    int TotalExecutions,
    int SuccessfulExecutions,
    int FailedExecutions,
    int SkippedExecutions,
    int AlertsGenerated,
    double SuccessRate);

public sealed record HistoryFilter(
    string? ModelId = null, RunStatus? Status = null, DateTime? From = null, DateTime? To = null, int Limit = 50);

/// <summary>The schedule with next run times, run history and statistics (metric histories: <see cref="RunReports"/>).</summary>
public sealed class RunHistory(MonitoringDatabase database, TimeProvider clock)
{
    public async Task<IReadOnlyList<ScheduleEntry>> ScheduleAsync(CancellationToken ct = default)
    {
        await using var db = await database.CreateDbContextAsync(ct);
        var models = await db.Models.AsNoTracking().OrderBy(m => m.ModelId).ToListAsync(ct);
        var now = clock.GetUtcNow();
        var result = new List<ScheduleEntry>(models.Count);
        foreach (var m in models)
        {
            var last = await db.Runs.AsNoTracking().Where(r => r.ModelId == m.ModelId).OrderByDescending(r => r.Timestamp).FirstOrDefaultAsync(ct);
            var next = ScheduleCalculator.NextRuns(ScheduleCalculator.Expression(m), now, 1);
            result.Add(new ScheduleEntry(m.ModelId, m.ModelVersion, m.Schedule, m.Cron, m.TimeZone, m.Enabled,
                next.Count > 0 ? next[0] : null, last));
        }
        return result;
    }

    public async Task<IReadOnlyList<DriftRun>> HistoryAsync(HistoryFilter filter, CancellationToken ct = default)
    {
        if (filter.Limit is < 1 or > 10_000) throw new MonitoringInputException("limit", "must be between 1 and 10,000");
        await using var db = await database.CreateDbContextAsync(ct);
        var q = db.Runs.AsNoTracking();
        if (filter.ModelId is not null) q = q.Where(r => r.ModelId == filter.ModelId);
        if (filter.Status is { } status) q = q.Where(r => r.Status == status);
        if (filter.From is { } from) q = q.Where(r => r.Timestamp >= from);
        if (filter.To is { } to) q = q.Where(r => r.Timestamp <= to);
        return await q.OrderByDescending(r => r.Timestamp).Take(filter.Limit).ToListAsync(ct);
    }

    /// <summary>How many runs raised an alert since the given time.</summary>
    public async Task<int> AlertsSinceAsync(DateTime since, CancellationToken ct = default)
    {
        await using var db = await database.CreateDbContextAsync(ct);
        return await db.Runs.CountAsync(r => r.AlertGenerated && r.Timestamp >= since, ct);
    }

    public async Task<MonitoringStatistics> StatisticsAsync(CancellationToken ct = default)
    {
        await using var db = await database.CreateDbContextAsync(ct);
        var models = await db.Models.CountAsync(ct);
        var enabled = await db.Models.CountAsync(m => m.Enabled, ct);
        var counts = await db.Runs.GroupBy(r => r.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        var alerts = await db.Runs.CountAsync(r => r.AlertGenerated, ct);
        int Count(RunStatus s) => counts.FirstOrDefault(c => c.Key == s)?.Count ?? 0;
        var completed = Count(RunStatus.Completed);
        var failed = Count(RunStatus.Failed);
        var total = counts.Sum(c => c.Count);
        // Success rate over the runs that ran (skipped ones did not), as a percentage.
        var rate = completed + failed == 0 ? 0 : Math.Round(100.0 * completed / (completed + failed), 1);
        return new MonitoringStatistics(models, enabled, total, completed, failed, Count(RunStatus.Skipped), alerts, rate);
    }
}
