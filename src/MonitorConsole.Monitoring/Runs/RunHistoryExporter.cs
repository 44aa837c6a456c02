using System.Globalization;
using System.Text.Json;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using MonitorConsole.Access;
using MonitorConsole.Monitoring.Models;
using MonitorConsole.Monitoring.Storage;

namespace MonitorConsole.Monitoring.Runs;

/// <summary>Streams a model's run history (or every model's) as CSV or JSON, oldest first, in flat memory.</summary>
public sealed class RunHistoryExporter(MonitoringDatabase database, ActionLog log)
{
    public static readonly string[] Columns =
    [
        "check_id", "model_id", "model_version", "timestamp", "trigger", "status", "duration_ms", "alert_generated",
        "alert_level", "error_message", "webhook_errors", "metrics",
    ];

    /// <summary>Records the export in the ledger, then streams it.</summary>
    public async Task<int> ExportAsync(Caller caller, Stream output, bool csv, string? modelId, CancellationToken ct = default)
    {
        caller.Require(Permission.ExportLedger);
        await log.RecordAsync(ActionLog.RunsExported, caller.Actor, "drift_runs", modelId,
            new { format = csv ? "csv" : "json", model_id = modelId }, ct);
        await using var db = await database.CreateDbContextAsync(ct);
        var query = db.Runs.AsNoTracking();
        if (modelId is not null) query = query.Where(r => r.ModelId == modelId);
        var runs = query.OrderBy(r => r.Timestamp).AsAsyncEnumerable();
        return csv ? await CsvAsync(output, runs, ct) : await JsonAsync(output, runs, ct);
    }

    private static async Task<int> CsvAsync(Stream output, IAsyncEnumerable<DriftRun> runs, CancellationToken ct)
    {
        await using var writer = CsvWriter.Create(output, new CsvWriterOptions { Injection = CsvInjection.Escape }, leaveOpen: true);
        writer.WriteHeader(Columns);
        var count = 0;
        await foreach (var r in runs.WithCancellation(ct))
        {
            foreach (var value in Values(r)) writer.WriteField(value);
            await writer.EndRecordAsync(ct);
            count++;
        }
        await writer.FlushAsync(ct);
        return count;
    }

    private static async Task<int> JsonAsync(Stream output, IAsyncEnumerable<DriftRun> runs, CancellationToken ct)
    {
        await using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        json.WriteStartArray("runs");
        var count = 0;
        await foreach (var r in runs.WithCancellation(ct))
        {
            json.WriteStartObject();
            var values = Values(r);
            for (var i = 0; i < Columns.Length - 1; i++) json.WriteString(Columns[i], values[i]);
            json.WritePropertyName("metrics");
            using (var metrics = JsonDocument.Parse(r.MetricsJson)) metrics.RootElement.WriteTo(json);
            json.WriteEndObject();
            if (++count % 500 == 0) await json.FlushAsync(ct);
        }
        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(ct);
        return count;
    }

    private static string?[] Values(DriftRun r) =>
    [
        r.CheckId, r.ModelId, r.ModelVersion, r.Timestamp.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture),
        r.Trigger, r.Status.ToString().ToUpperInvariant(), r.DurationMs.ToString("R", CultureInfo.InvariantCulture),
        r.AlertGenerated ? "true" : "false", r.AlertLevel, r.ErrorMessage, r.WebhookErrors, r.MetricsJson,
    ];
}
