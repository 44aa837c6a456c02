using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MonitorConsole.Access;
using MonitorConsole.Audit;
using MonitorConsole.Drift;
using MonitorConsole.Monitoring.Models;
using MonitorConsole.Monitoring.Runs;
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

/// <summary>A batch that a run set aside: it was in the window of a run that FAILED, and no later run reads it.</summary>
public sealed record SetAsideBatch(long BatchId, string Kind, int Count, DateTime ReceivedAt, string CheckId, DateTime RunAt, string? Reason);

/// <summary>
/// Accepts observations per model — feature values and outputs as rows, bias metrics, safety events — as JSON or CSV,
/// checks them against the model (nothing is stored when one value is bad), and keeps rows by column in the compact
/// form runs read (<see cref="ObservationColumn"/>). Each batch is used by the first run that starts after it commits.
/// </summary>
public sealed partial class ObservationService(MonitoringDatabase database, ModelConfigService models, BaselineCache baselines, TimeProvider clock)
{
    public const int MaxRowsPerBatch = 1_000_000;

    /// <summary>The largest CSV body the HTTP endpoint accepts; the row limit usually ends a batch first.</summary>
    public const long MaxCsvBytes = 1L << 30;

    /// <summary>
    /// JSON: {"rows": [{"feature": value, ...}, ...], "bias": [{"metric_name", "stratum_type", "stratum_value",
    /// "baseline_value", "current_value"}], "safety_events": [{"event_type", "severity", "description"}]}.
    /// </summary>
    public async Task<IngestResult> IngestJsonAsync(Caller caller, string modelId, JsonElement body, CancellationToken ct = default) =>
        await IngestAsync(caller.Require(Permission.WriteObservations), modelId, ObservationJsonReader.Parse(body), ct);

    /// <summary>CSV: a header row and one row per observation, read as it streams in.</summary>
    public async Task<IngestResult> IngestCsvAsync(Caller caller, string modelId, Stream csv, CancellationToken ct = default)
    {
        caller.Require(Permission.WriteObservations);
        var schema = await SchemaAsync(modelId, ct);
        ColumnBuilder[] columns;
        try
        {
            columns = await new CsvColumnsReader("observations").ReadAsync(csv, CsvRules(schema), ct);
        }
        catch (DriftInputException ex)
        {
            throw new MonitoringInputException("observations", ex.Problem);
        }
        var rows = columns.Length == 0 ? 0 : columns[0].Count;
        if (rows == 0) throw new MonitoringInputException("observations", "the CSV has no data rows");
        return await StoreAsync(modelId, columns, rows, [], [], ct);
    }

    public async Task<IngestResult> IngestAsync(Caller caller, string modelId, ObservationBatch batch, CancellationToken ct = default)
    {
        caller.Require(Permission.WriteObservations);
        if (batch.RowCount == 0 && batch.Bias.Count == 0 && batch.SafetyEvents.Count == 0)
            throw new MonitoringInputException("observations", "the batch is empty: give rows, bias or safety_events");
        if (batch.RowCount > MaxRowsPerBatch)
            throw new MonitoringInputException("rows", $"more than {MaxRowsPerBatch:N0} rows in one batch");
        var schema = await SchemaAsync(modelId, ct);
        var builders = batch.RowCount == 0 ? [] : Build(schema, batch);
        return await StoreAsync(modelId, builders, batch.RowCount, batch.Bias, batch.SafetyEvents, ct);
    }

    /// <summary>Batches set aside by failed runs of the model, newest first.</summary>
    public async Task<IReadOnlyList<SetAsideBatch>> SetAsideAsync(string modelId, int limit = 100, CancellationToken ct = default)
    {
        await using var db = await database.CreateDbContextAsync(ct);
        return await (
            from o in db.Observations.AsNoTracking()
            join r in db.Runs.AsNoTracking() on o.ClaimedBy equals r.CheckId
            where o.ModelId == modelId && r.Status == RunStatus.Failed
            orderby o.Id descending
            select new SetAsideBatch(o.Id, o.Kind, o.Count, o.ReceivedAt, r.CheckId, r.Timestamp, r.ErrorMessage)).Take(limit).ToListAsync(ct);
    }

    private async Task<ObservationSchema> SchemaAsync(string modelId, CancellationToken ct)
    {
        var model = await models.GetAsync(modelId, ct) ?? throw new ModelNotFoundException(modelId);
        PreparedBaseline? baseline;
        try
        {
            baseline = await baselines.FindAsync(model, ct);
        }
        catch (DriftInputException)
        {
            // A baseline the runs cannot use is their failure to report; observations are checked by the configuration.
            baseline = null;
        }
        return new ObservationSchema(model, baseline);
    }

    private static ColumnBuilder[] Build(ObservationSchema schema, ObservationBatch batch)
    {
        schema.CheckPresent(batch.Columns.Keys, "the rows");
        var builders = new List<ColumnBuilder>(batch.Columns.Count);
        foreach (var (name, values) in batch.Columns)
        {
            var builder = new ColumnBuilder(name, schema.ModeOf(name));
            for (var i = 0; i < values.Length; i++)
            {
                var problem = builder.Add(values[i]);
                if (problem != ValueProblem.None)
                    throw new MonitoringInputException($"rows[{i}].{name}", $"{ObservationSchema.Problem(problem, values[i]!)} (row {i + 1})");
            }
            builders.Add(builder);
        }
        return [.. builders];
    }

    private async Task<IngestResult> StoreAsync(string modelId, ColumnBuilder[] columns, int rows,
        IReadOnlyList<BiasObservation> bias, IReadOnlyList<SafetyEvent> safety, CancellationToken ct)
    {
        await using var db = await database.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        if (rows > 0)
        {
            var batch = new Observation { ModelId = modelId, ReceivedAt = now, Kind = "rows", Count = rows };
            db.Observations.Add(batch);
            // Saved first for its id; the transaction keeps the batch and its columns all or nothing.
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.SaveChangesAsync(ct);
            for (var i = 0; i < columns.Length; i++) db.ObservationColumns.Add(CompactColumns.Encode(batch.Id, i, columns[i]));
            AddItems(db, modelId, now, bias, safety);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        else
        {
            AddItems(db, modelId, now, bias, safety);
            await db.SaveChangesAsync(ct);
        }
        return new IngestResult(rows, bias.Count, safety.Count);
    }

    private static void AddItems(MonitoringDbContext db, string modelId, DateTime now, IReadOnlyList<BiasObservation> bias, IReadOnlyList<SafetyEvent> safety)
    {
        if (bias.Count > 0) db.Observations.Add(Items(modelId, now, "bias", bias.Count, bias));
        if (safety.Count > 0) db.Observations.Add(Items(modelId, now, "safety", safety.Count, safety));
    }

    private static Observation Items<T>(string modelId, DateTime now, string kind, int count, T payload) => new()
    {
        ModelId = modelId,
        ReceivedAt = now,
        Kind = kind,
        Count = count,
        PayloadJson = JsonSerializer.Serialize(payload, ObservationJsonReader.Options),
    };

    /// <summary>A CSV batch is checked as it is read: the header against the model, each value against its column.</summary>
    private static CsvColumnRules CsvRules(ObservationSchema schema) => new()
    {
        Modes = names =>
        {
            schema.CheckPresent(names, "the CSV header");
            return [.. names.Select(schema.ModeOf)];
        },
        Refused = (row, column, problem, value) => new MonitoringInputException($"row {row}, column {column}",
            ObservationSchema.Problem(problem, System.Text.Encoding.UTF8.GetString(value))),
        MaxRows = MaxRowsPerBatch,
        TooManyRows = () => new MonitoringInputException("observations", $"more than {MaxRowsPerBatch:N0} rows in one batch"),
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
