using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MonitorConsole.Audit;
using MonitorConsole.Drift;
using MonitorConsole.Access;
using MonitorConsole.Monitoring.Models;
using MonitorConsole.Monitoring.Storage;

namespace MonitorConsole.Monitoring.Ingestion;

/// <summary>A batch of production data for one model.</summary>
public sealed record ObservationBatch(
    IReadOnlyDictionary<string, string?[]> Columns,
    IReadOnlyList<BiasObservation> Bias,
    IReadOnlyList<SafetyEvent> SafetyEvents)
{
    public int RowCount => Columns.Count == 0 ? 0 : Columns.Values.First().Length;
}

public sealed record IngestResult(int Rows, int BiasItems, int SafetyEvents);

/// <summary>
/// Accepts observations per model — feature values and outputs as rows, bias metrics, safety events — as JSON or CSV,
/// and keeps them until the runs that cover their window use them.
/// </summary>
public sealed class ObservationService(MonitoringDatabase database, TimeProvider clock)
{
    public const int MaxRowsPerBatch = 1_000_000;

    /// <summary>
    /// JSON: {"rows": [{"feature": value, ...}, ...], "bias": [{"metric_name", "stratum_type", "stratum_value",
    /// "baseline_value", "current_value"}], "safety_events": [{"event_type", "severity", "description"}]}.
    /// </summary>
    public async Task<IngestResult> IngestJsonAsync(Caller caller, string modelId, JsonElement body, CancellationToken ct = default) =>
        await IngestAsync(caller.Require(Permission.WriteObservations), modelId, ObservationJsonReader.Parse(body), ct);

    /// <summary>CSV: a header row and one row per observation.</summary>
    public async Task<IngestResult> IngestCsvAsync(Caller caller, string modelId, Stream csv, CancellationToken ct = default) =>
        await IngestAsync(caller.Require(Permission.WriteObservations), modelId, await CsvUpload.ReadObservationsAsync(csv, ct: ct), ct);

    public async Task<IngestResult> IngestAsync(Caller caller, string modelId, ObservationBatch batch, CancellationToken ct = default)
    {
        caller.Require(Permission.WriteObservations);
        if (batch.RowCount == 0 && batch.Bias.Count == 0 && batch.SafetyEvents.Count == 0)
            throw new MonitoringInputException("observations", "the batch is empty: give rows, bias or safety_events");
        if (batch.RowCount > MaxRowsPerBatch)
            throw new MonitoringInputException("rows", $"more than {MaxRowsPerBatch:N0} rows in one batch");
        await using var db = await database.CreateDbContextAsync(ct);
        if (!await db.Models.AnyAsync(m => m.ModelId == modelId, ct)) throw new ModelNotFoundException(modelId);
        var now = clock.GetUtcNow().UtcDateTime;
        if (batch.RowCount > 0) db.Observations.Add(Row(modelId, now, "rows", batch.RowCount, batch.Columns));
        if (batch.Bias.Count > 0) db.Observations.Add(Row(modelId, now, "bias", batch.Bias.Count, batch.Bias));
        if (batch.SafetyEvents.Count > 0) db.Observations.Add(Row(modelId, now, "safety", batch.SafetyEvents.Count, batch.SafetyEvents));
        await db.SaveChangesAsync(ct);
        return new IngestResult(batch.RowCount, batch.Bias.Count, batch.SafetyEvents.Count);
    }

    /// <summary>Everything received for the model in (from, to], merged into one batch.</summary>
    internal async Task<ObservationBatch> WindowAsync(string modelId, DateTime? from, DateTime to, CancellationToken ct)
    {
        await using var db = await database.CreateDbContextAsync(ct);
        var query = db.Observations.AsNoTracking().Where(o => o.ModelId == modelId && o.ReceivedAt <= to);
        if (from is { } f) query = query.Where(o => o.ReceivedAt > f);
        var columns = new Dictionary<string, List<string?>>(StringComparer.Ordinal);
        var bias = new List<BiasObservation>();
        var safety = new List<SafetyEvent>();
        var rows = 0;
        await foreach (var o in query.OrderBy(o => o.Id).AsAsyncEnumerable().WithCancellation(ct))
        {
            switch (o.Kind)
            {
                case "rows":
                    var batch = JsonSerializer.Deserialize<Dictionary<string, string?[]>>(o.PayloadJson, ObservationJsonReader.Options)!;
                    foreach (var name in batch.Keys.Where(k => !columns.ContainsKey(k)))
                        columns[name] = [.. Enumerable.Repeat<string?>(null, rows)];
                    foreach (var (name, values) in columns)
                        values.AddRange(batch.TryGetValue(name, out var v) ? v : new string?[o.Count]);
                    rows += o.Count;
                    break;
                case "bias":
                    bias.AddRange(JsonSerializer.Deserialize<List<BiasObservation>>(o.PayloadJson, ObservationJsonReader.Options)!);
                    break;
                case "safety":
                    safety.AddRange(JsonSerializer.Deserialize<List<SafetyEvent>>(o.PayloadJson, ObservationJsonReader.Options)!);
                    break;
            }
        }
        return new ObservationBatch(columns.ToDictionary(c => c.Key, c => c.Value.ToArray()), bias, safety);
    }

    private static Observation Row<T>(string modelId, DateTime now, string kind, int count, T payload) => new()
    {
        ModelId = modelId,
        ReceivedAt = now,
        Kind = kind,
        Count = count,
        PayloadJson = JsonSerializer.Serialize(payload, ObservationJsonReader.Options),
    };
}

/// <summary>Reads the JSON form of observations, naming the first bad field.</summary>
public static class ObservationJsonReader
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseUpper) },
    };

    public static ObservationBatch Parse(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object) throw new MonitoringInputException("body", "must be a JSON object");
        var columns = new Dictionary<string, List<string?>>(StringComparer.Ordinal);
        var rowCount = 0;
        if (body.TryGetProperty("rows", out var rows))
        {
            if (rows.ValueKind != JsonValueKind.Array) throw new MonitoringInputException("rows", "must be an array of objects");
            foreach (var row in rows.EnumerateArray())
            {
                if (row.ValueKind != JsonValueKind.Object) throw new MonitoringInputException($"rows[{rowCount}]", "must be an object");
                foreach (var cell in row.EnumerateObject())
                {
                    var name = JsonText.Name(cell, $"rows[{rowCount}]");
                    if (!columns.TryGetValue(name, out var column))
                        columns[name] = column = [.. Enumerable.Repeat<string?>(null, rowCount)];
                    column.Add(Scalar(cell.Value, $"rows[{rowCount}].{name}"));
                }
                rowCount++;
                foreach (var column in columns.Values.Where(c => c.Count < rowCount)) column.Add(null);
            }
        }
        var bias = body.TryGetProperty("bias", out var b) ? Items(b, "bias", Bias) : [];
        var safety = body.TryGetProperty("safety_events", out var s) ? Items(s, "safety_events", Safety) : [];
        return new ObservationBatch(columns.ToDictionary(c => c.Key, c => c.Value.ToArray()), bias, safety);
    }

    private static string? Scalar(JsonElement value, string field) => value.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String => JsonText.Get(value, field),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => throw new MonitoringInputException(field, "must be a number, a string or null"),
    };

    private static List<T> Items<T>(JsonElement array, string field, Func<JsonElement, string, T> read)
    {
        if (array.ValueKind != JsonValueKind.Array) throw new MonitoringInputException(field, "must be an array");
        return array.EnumerateArray().Select((e, i) => read(e, $"{field}[{i}]")).ToList();
    }

    private static BiasObservation Bias(JsonElement e, string field) => new(
        Text(e, "metric_name", field), Text(e, "stratum_type", field), Text(e, "stratum_value", field),
        Number(e, "baseline_value", field), Number(e, "current_value", field));

    private static SafetyEvent Safety(JsonElement e, string field)
    {
        var severity = Text(e, "severity", field);
        if (!Enum.TryParse<SafetySeverity>(severity, ignoreCase: true, out var level))
            throw new MonitoringInputException($"{field}.severity", $"'{severity}' is not one of LOW, MEDIUM, HIGH, CRITICAL");
        return new SafetyEvent(Text(e, "event_type", field), level,
            e.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? JsonText.Get(d, $"{field}.description") : null);
    }

    private static string Text(JsonElement e, string name, string field) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && JsonText.Get(v, $"{field}.{name}") is { Length: > 0 } s
            ? s
            : throw new MonitoringInputException($"{field}.{name}", "is required and must be a non-empty string");

    private static double Number(JsonElement e, string name, string field) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) && double.IsFinite(d)
            ? d
            : throw new MonitoringInputException($"{field}.{name}", "is required and must be a finite number");
}
