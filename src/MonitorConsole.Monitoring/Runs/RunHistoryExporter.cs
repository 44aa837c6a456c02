using System.Globalization;
using System.Text.Json;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using MonitorConsole.Audit;
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

    /// <summary>
    /// Records the export in the ledger (RUNS_EXPORTED), streams it, then records how it ended: RUNS_EXPORT_DELIVERED
    /// with the bytes written, their SHA-256 and the runs the file holds, or RUNS_EXPORT_INTERRUPTED with what was
    /// written before it stopped and why. A CSV starts with a UTF-8 byte order mark for spreadsheets.
    /// </summary>
    /// <returns>How many runs the export holds.</returns>
    public async Task<int> ExportAsync(Caller caller, Stream output, bool csv, string? modelId, CancellationToken ct = default)
    {
        caller.Require(Permission.ExportLedger);
        var format = csv ? "csv" : "json";
        var started = await log.RecordAsync(ActionLog.RunsExported, caller.Actor, ResourceType, modelId,
            new { format, model_id = modelId }, ct);
        var tally = new RunTally();
        await ExportDelivery.DeliverAsync(output,
            async stream =>
            {
                await using var db = await database.CreateDbContextAsync(ct);
                var query = db.Runs.AsNoTracking();
                if (modelId is not null) query = query.Where(r => r.ModelId == modelId);
                var runs = query.OrderBy(r => r.Timestamp).AsAsyncEnumerable();
                if (csv) await CsvAsync(stream, runs, tally, ct);
                else await JsonAsync(stream, runs, tally, ct);
            },
            counted => log.RecordAsync(LedgerVocabulary.RunsExportDeliveredAction, caller.Actor, ResourceType, modelId, new
            {
                export_entry_id = started.EntryId,
                export_sequence = started.Sequence,
                format,
                model_id = modelId,
                run_count = tally.Count,
                first_check_id = tally.FirstCheckId,
                last_check_id = tally.LastCheckId,
                bytes = counted.BytesWritten,
                sha256 = counted.Sha256Hex(),
            }, CancellationToken.None),
            (counted, why) => log.RecordAsync(LedgerVocabulary.RunsExportInterruptedAction, caller.Actor, ResourceType, modelId, new
            {
                export_entry_id = started.EntryId,
                export_sequence = started.Sequence,
                format,
                model_id = modelId,
                runs_written = tally.Count,
                bytes = counted.BytesWritten,
                sha256 = counted.Sha256Hex(),
                reason = why.Reason,
                detail = why.Detail,
            }, CancellationToken.None),
            ct);
        return tally.Count;
    }

    private const string ResourceType = "drift_runs";

    /// <summary>
    /// The runs that have reached the output, first and last: a run handed to a writer counts once a flush has passed
    /// it on, so an interrupted export never claims runs still sitting in a buffer.
    /// </summary>
    private sealed class RunTally
    {
        private int _pending;
        private string? _pendingFirst;
        private string? _pendingLast;

        public int Count { get; private set; }
        public string? FirstCheckId { get; private set; }
        public string? LastCheckId { get; private set; }

        public void Add(DriftRun run)
        {
            _pending++;
            _pendingLast = run.CheckId;
            if (Count == 0 && _pending == 1) _pendingFirst = run.CheckId;
        }

        public void Flushed()
        {
            if (_pending == 0) return;
            FirstCheckId ??= _pendingFirst;
            LastCheckId = _pendingLast;
            Count += _pending;
            _pending = 0;
        }
    }

    private const int RunsPerFlush = 500;

    private static async Task CsvAsync(Stream output, IAsyncEnumerable<DriftRun> runs, RunTally tally, CancellationToken ct)
    {
        var options = new CsvWriterOptions { Injection = CsvInjection.Escape, WriteByteOrderMark = true };
        await using var writer = CsvWriter.Create(output, options, leaveOpen: true);
        writer.WriteHeader(Columns);
        var written = 0;
        await foreach (var r in runs.WithCancellation(ct))
        {
            foreach (var value in Values(r)) writer.WriteField(value);
            // Fields only fill the writer's buffer; ending the record is where it writes, so it must be async.
            await writer.EndRecordAsync(ct);
            tally.Add(r);
            if (++written % RunsPerFlush != 0) continue;
            await writer.FlushAsync(ct);
            tally.Flushed();
        }
        await writer.FlushAsync(ct);
        tally.Flushed();
    }

    private static async Task JsonAsync(Stream output, IAsyncEnumerable<DriftRun> runs, RunTally tally, CancellationToken ct)
    {
        await using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        json.WriteStartArray("runs");
        var written = 0;
        await foreach (var r in runs.WithCancellation(ct))
        {
            json.WriteStartObject();
            var values = Values(r);
            for (var i = 0; i < Columns.Length - 1; i++) json.WriteString(Columns[i], values[i]);
            json.WritePropertyName("metrics");
            using (var metrics = JsonDocument.Parse(r.MetricsJson)) metrics.RootElement.WriteTo(json);
            json.WriteEndObject();
            tally.Add(r);
            if (++written % RunsPerFlush != 0) continue;
            await json.FlushAsync(ct);
            tally.Flushed();
        }
        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(ct);
        tally.Flushed();
    }

    private static string?[] Values(DriftRun r) =>
    [
        r.CheckId, r.ModelId, r.ModelVersion, r.Timestamp.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture),
        r.Trigger, r.Status.ToString().ToUpperInvariant(), r.DurationMs.ToString("R", CultureInfo.InvariantCulture),
        r.AlertGenerated ? "true" : "false", r.AlertLevel, r.ErrorMessage, r.WebhookErrors, r.MetricsJson,
    ];
}
