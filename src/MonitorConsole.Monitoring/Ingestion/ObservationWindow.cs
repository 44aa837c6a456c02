using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MonitorConsole.Drift;
using MonitorConsole.Monitoring.Models;

namespace MonitorConsole.Monitoring.Ingestion;

/// <summary>What a run reads: the columns it needs over every row of its window, bias items and safety events.</summary>
public sealed record ObservationWindow(
    IReadOnlyDictionary<string, FeatureColumn> Columns,
    int RowCount,
    IReadOnlyList<BiasObservation> Bias,
    IReadOnlyList<SafetyEvent> SafetyEvents,
    DateTime? FirstReceivedAt)
{
    /// <summary>A run given its own data (text columns, as sent).</summary>
    public static ObservationWindow Of(ObservationBatch batch) => new(
        batch.Columns.ToDictionary(c => c.Key, c => FeatureColumn.Text(c.Value), StringComparer.Ordinal),
        batch.RowCount, batch.Bias, batch.SafetyEvents, null);
}

public sealed partial class ObservationService
{
    /// <summary>
    /// Claims for the run every batch of the model that no run has claimed yet — one UPDATE, so a batch that commits
    /// while the run goes on is simply left for the next run — and reads the run's window: the batches it claimed, or
    /// with a trailing window, every batch received in the last <paramref name="trailingHours"/> hours that it claimed
    /// or a COMPLETED run used. Only the <paramref name="columns"/> the run compares are read.
    /// </summary>
    internal async Task<ObservationWindow> ClaimWindowAsync(string modelId, string checkId, DateTime now, double? trailingHours,
        IReadOnlyCollection<string> columns, CancellationToken ct)
    {
        await using var db = await database.CreateDbContextAsync(ct);
        await db.Observations.Where(o => o.ModelId == modelId && o.ClaimedBy == null)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.ClaimedBy, checkId).SetProperty(o => o.ClaimedAt, now), ct);

        IQueryable<Observation> window = db.Observations.AsNoTracking();
        if (trailingHours is { } hours)
        {
            var from = now.AddHours(-hours);
            window = window.Where(o => o.ModelId == modelId && (o.ClaimedBy == checkId
                || (o.ReceivedAt > from && db.Runs.Any(r => r.CheckId == o.ClaimedBy && r.Status == RunStatus.Completed))));
        }
        else
        {
            window = window.Where(o => o.ModelId == modelId && o.ClaimedBy == checkId);
        }

        var batches = await window.OrderBy(o => o.Id)
            .Select(o => new { o.Id, o.Kind, o.Count, o.ReceivedAt, Payload = o.Kind == "rows" ? (o.PayloadJson == "" ? null : o.PayloadJson) : o.PayloadJson })
            .ToListAsync(ct);
        var offsets = new Dictionary<long, int>();
        long rows = 0;
        foreach (var b in batches.Where(b => b.Kind == "rows"))
        {
            offsets[b.Id] = (int)rows;
            rows += b.Count;
        }
        if (rows > Array.MaxLength) throw new MonitoringInputException("observations", $"the window has {rows:N0} rows, more than a run can hold");

        var wanted = columns.ToList();
        var target = new Dictionary<string, WindowColumn>(StringComparer.Ordinal);
        WindowColumn Column(string name) => target.TryGetValue(name, out var c) ? c : target[name] = new WindowColumn(name, (int)rows);

        var bias = new List<BiasObservation>();
        var safety = new List<SafetyEvent>();
        foreach (var b in batches)
        {
            if (b.Kind == "bias") bias.AddRange(JsonSerializer.Deserialize<List<BiasObservation>>(b.Payload!, ObservationJsonReader.Options)!);
            else if (b.Kind == "safety") safety.AddRange(JsonSerializer.Deserialize<List<SafetyEvent>>(b.Payload!, ObservationJsonReader.Options)!);
            else if (b.Payload is { } legacy) PutLegacy(legacy, offsets[b.Id], wanted, Column);
        }

        // One column of one batch at a time, straight into the window's arrays.
        var compact = db.ObservationColumns.AsNoTracking()
            .Where(c => window.Any(o => o.Id == c.ObservationId && o.Kind == "rows") && wanted.Contains(c.Name))
            .OrderBy(c => c.ObservationId).ThenBy(c => c.Position);
        await foreach (var c in compact.AsAsyncEnumerable().WithCancellation(ct))
        {
            var offset = offsets[c.ObservationId];
            if (c.Kind == ObservationColumnKind.Numbers) Column(c.Name).PutNumbers(offset, CompactColumns.Numbers(c));
            else Column(c.Name).PutCategories(offset, CompactColumns.Codes(c), CompactColumns.Labels(c));
        }

        return new ObservationWindow(target.ToDictionary(c => c.Key, c => c.Value.ToColumn(), StringComparer.Ordinal), (int)rows,
            bias, safety, batches.Count == 0 ? null : batches.Min(b => b.ReceivedAt));
    }

    /// <summary>Rows stored before the compact form (every value as JSON text).</summary>
    private static void PutLegacy(string json, int offset, List<string> wanted, Func<string, WindowColumn> column)
    {
        var values = JsonSerializer.Deserialize<Dictionary<string, string?[]>>(json, ObservationJsonReader.Options)!;
        foreach (var name in wanted)
        {
            if (!values.TryGetValue(name, out var texts)) continue;
            var builder = new ColumnBuilder(name, ColumnMode.Auto);
            foreach (var t in texts) builder.Add(t);
            if (builder.IsNumeric) column(name).PutNumbers(offset, builder.Numbers);
            else column(name).PutCategories(offset, builder.Codes, [.. builder.Labels]);
        }
    }
}
