using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MonitorConsole.Access;
using MonitorConsole.Monitoring.Storage;

namespace MonitorConsole.Monitoring.Alerts;

/// <summary>An alert with its deliveries and every attempt, as the API and the console show it.</summary>
public sealed record RunAlertView(
    string CheckId, string ModelId, DateTime RaisedAt, string Level, IReadOnlyList<string> DriftedFeatures, bool Sent,
    string? SuppressedReason, DateTime? AcknowledgedAt, string? AcknowledgedBy, string? AcknowledgeNote,
    IReadOnlyList<DeliveryView> Deliveries);

public sealed record DeliveryView(
    long Id, string Channel, string Target, DeliveryState State, int Attempts, DateTime? NextAttemptAt, DateTime? DeliveredAt,
    string? LastError, IReadOnlyList<DeliveryAttempt> AttemptLog);

/// <summary>Reads alerts and their deliveries, and records acknowledgements.</summary>
public sealed class RunAlerts(MonitoringDatabase database, ActionLog log, TimeProvider clock)
{
    /// <summary>Someone saw the alert and took it on: actor the person (or key), resource the model, data check id and note.</summary>
    public const string AcknowledgedAction = "DRIFT_ALERT_ACKNOWLEDGED";

    public const int MaxNoteLength = 1000;

    public async Task<RunAlertView?> ForRunAsync(string modelId, string checkId, CancellationToken ct = default) =>
        (await LoadAsync(a => a.ModelId == modelId && a.CheckId == checkId, int.MaxValue, ct)).FirstOrDefault();

    /// <summary>The model's latest alerts, newest first.</summary>
    public Task<IReadOnlyList<RunAlertView>> RecentAsync(string modelId, int limit = 20, CancellationToken ct = default) =>
        LoadAsync(a => a.ModelId == modelId, limit, ct);

    public async Task<RunAlertView> AcknowledgeAsync(Caller caller, string modelId, string checkId, string? note, CancellationToken ct = default)
    {
        caller.Require(Permission.RunChecks);
        note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        if (note is { Length: > MaxNoteLength })
            throw new MonitoringInputException("note", $"must be at most {MaxNoteLength} characters (it has {note.Length})");
        await using var db = await database.CreateDbContextAsync(ct);
        var alert = await db.Alerts.AsNoTracking().FirstOrDefaultAsync(a => a.ModelId == modelId && a.CheckId == checkId, ct)
            ?? throw new MonitoringInputException("check_id", $"check '{checkId}' of model '{modelId}' raised no alert");
        if (alert.AcknowledgedAt is { } at)
            throw new MonitoringInputException("check_id", $"the alert of check '{checkId}' was already acknowledged by {alert.AcknowledgedBy} at {at:yyyy-MM-dd HH:mm} UTC");

        await log.RecordAsync(AcknowledgedAction, caller.Actor, "model", modelId, new { check_id = checkId, note }, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        // Recorded: carried out whatever the caller's token says; the first of two simultaneous acknowledgements is kept.
        await db.Alerts.Where(a => a.CheckId == checkId && a.AcknowledgedAt == null).ExecuteUpdateAsync(s => s
            .SetProperty(a => a.AcknowledgedAt, now).SetProperty(a => a.AcknowledgedBy, caller.Actor).SetProperty(a => a.AcknowledgeNote, note),
            CancellationToken.None);
        return (await ForRunAsync(modelId, checkId, CancellationToken.None))!;
    }

    private async Task<IReadOnlyList<RunAlertView>> LoadAsync(System.Linq.Expressions.Expression<Func<DriftAlert, bool>> filter, int limit, CancellationToken ct)
    {
        await using var db = await database.CreateDbContextAsync(ct);
        var alerts = await db.Alerts.AsNoTracking().Where(filter).OrderByDescending(a => a.RaisedAt).Take(limit).ToListAsync(ct);
        var ids = alerts.Select(a => a.CheckId).ToList();
        var deliveries = (await db.AlertDeliveries.AsNoTracking().Where(d => ids.Contains(d.CheckId)).OrderBy(d => d.Id).ToListAsync(ct))
            .ToLookup(d => d.CheckId);
        return alerts.Select(a => new RunAlertView(a.CheckId, a.ModelId, a.RaisedAt, a.Level,
            a.DriftedFeatures.Length == 0 ? [] : a.DriftedFeatures.Split(','), a.SuppressedReason is null, a.SuppressedReason,
            a.AcknowledgedAt, a.AcknowledgedBy, a.AcknowledgeNote,
            [.. deliveries[a.CheckId].Select(d => new DeliveryView(d.Id, d.Channel, d.Target, d.State, d.Attempts,
                d.State == DeliveryState.Pending ? d.NextAttemptAt : null, d.DeliveredAt, d.LastError,
                JsonSerializer.Deserialize<List<DeliveryAttempt>>(d.AttemptLogJson) ?? []))])).ToList();
    }
}
