using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MonitorConsole.Drift;
using MonitorConsole.Monitoring.Models;
using MonitorConsole.Monitoring.Storage;

namespace MonitorConsole.Monitoring.Ingestion;

/// <summary>
/// What a run reads: its rows, read one column at a time (<see cref="IColumnSource"/>), and its bias items and safety
/// events.
/// </summary>
public abstract class ObservationWindow : IColumnSource
{
    public abstract int RowCount { get; }
    public abstract IReadOnlyCollection<string> ColumnNames { get; }
    public required IReadOnlyList<BiasObservation> Bias { get; init; }
    public required IReadOnlyList<SafetyEvent> SafetyEvents { get; init; }
    public DateTime? FirstReceivedAt { get; init; }

    public abstract ValueTask<FeatureColumn> ReadAsync(string name, CancellationToken ct);

    /// <summary>A run given its own data (text columns, as sent).</summary>
    public static ObservationWindow Of(ObservationBatch batch) => new GivenWindow(batch) { Bias = batch.Bias, SafetyEvents = batch.SafetyEvents };

    private sealed class GivenWindow(ObservationBatch batch) : ObservationWindow
    {
        public override int RowCount => batch.RowCount;
        public override IReadOnlyCollection<string> ColumnNames { get; } = batch.Columns.Keys.ToHashSet(StringComparer.Ordinal);

        public override ValueTask<FeatureColumn> ReadAsync(string name, CancellationToken ct) =>
            ValueTask.FromResult(FeatureColumn.Text(batch.Columns[name]));
    }
}

/// <summary>
/// A run's window in storage: the batches it claimed (and, with a trailing window, those completed runs used), each
/// at its row offset. A column is read from every batch straight into one array when the run asks for it.
/// </summary>
internal sealed class StoredWindow(MonitoringDatabase database, IReadOnlyList<StoredWindow.RowBatch> batches, int rows,
    IReadOnlyCollection<string> columnNames) : ObservationWindow
{
    public sealed record RowBatch(long Id, int Offset, string? LegacyJson);

    // Worked out once per window, not once per column read.
    private readonly Dictionary<long, int> _offsets = batches.ToDictionary(b => b.Id, b => b.Offset);
    private readonly List<long> _compactIds = [.. batches.Where(b => b.LegacyJson is null).Select(b => b.Id)];

    public override int RowCount => rows;
    public override IReadOnlyCollection<string> ColumnNames => columnNames;

    public override async ValueTask<FeatureColumn> ReadAsync(string name, CancellationToken ct)
    {
        var column = new WindowColumn(name, rows);
        // Rows stored before the compact form are parsed again for each column; retention removes them within 30 days.
        foreach (var legacy in batches.Where(b => b.LegacyJson is not null))
            ObservationService.PutLegacy(legacy.LegacyJson!, legacy.Offset, name, column);
        var ids = _compactIds;
        await using var db = await database.CreateDbContextAsync(ct);
        var stored = db.ObservationColumns.AsNoTracking()
            .Where(c => c.Name == name && ids.Contains(c.ObservationId))
            .OrderBy(c => c.ObservationId);
        await foreach (var c in stored.AsAsyncEnumerable().WithCancellation(ct))
        {
            if (c.Kind == ObservationColumnKind.Numbers) column.PutNumbers(_offsets[c.ObservationId], CompactColumns.Numbers(c));
            else column.PutCategories(_offsets[c.ObservationId], CompactColumns.Codes(c), CompactColumns.Labels(c));
        }
        return column.ToColumn();
    }
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
        CancellationToken ct)
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
        var rowBatches = new List<StoredWindow.RowBatch>();
        long rows = 0;
        foreach (var b in batches.Where(b => b.Kind == "rows"))
        {
            rowBatches.Add(new StoredWindow.RowBatch(b.Id, (int)Math.Min(rows, int.MaxValue), b.Payload));
            rows += b.Count;
        }
        if (rows > Array.MaxLength) throw new MonitoringInputException("observations", $"the window has {rows:N0} rows, more than a run can hold");

        // The names only: the values are read feature by feature while the run compares them.
        var names = new HashSet<string>(StringComparer.Ordinal);
        var compactIds = rowBatches.Where(b => b.LegacyJson is null).Select(b => b.Id).ToList();
        names.UnionWith(await db.ObservationColumns.Where(c => compactIds.Contains(c.ObservationId)).Select(c => c.Name).Distinct().ToListAsync(ct));
        foreach (var legacy in rowBatches.Where(b => b.LegacyJson is not null))
            names.UnionWith(JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(legacy.LegacyJson!, ObservationJsonReader.Options)!.Keys);

        var bias = new List<BiasObservation>();
        var safety = new List<SafetyEvent>();
        foreach (var b in batches)
        {
            if (b.Kind == "bias") bias.AddRange(JsonSerializer.Deserialize<List<BiasObservation>>(b.Payload!, ObservationJsonReader.Options)!);
            else if (b.Kind == "safety") safety.AddRange(JsonSerializer.Deserialize<List<SafetyEvent>>(b.Payload!, ObservationJsonReader.Options)!);
        }
        return new StoredWindow(database, rowBatches, (int)rows, names)
        {
            Bias = bias,
            SafetyEvents = safety,
            FirstReceivedAt = batches.Count == 0 ? null : batches.Min(b => b.ReceivedAt),
        };
    }

    /// <summary>Rows stored before the compact form (every value as JSON text).</summary>
    internal static void PutLegacy(string json, int offset, string name, WindowColumn column)
    {
        var values = JsonSerializer.Deserialize<Dictionary<string, string?[]>>(json, ObservationJsonReader.Options)!;
        if (!values.TryGetValue(name, out var texts)) return;
        var builder = new ColumnBuilder(name, ColumnMode.Auto);
        foreach (var t in texts) builder.Add(t);
        if (builder.IsNumeric) column.PutNumbers(offset, builder.Numbers);
        else column.PutCategories(offset, builder.Codes, [.. builder.Labels]);
    }
}
