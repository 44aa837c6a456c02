using System.Text.Encodings.Web;
using System.Text.Json;
using CsvHelper;
using MonitorConsole.Audit.Chain;
using MonitorConsole.Audit.Queries;
using MonitorConsole.Audit.Storage;

namespace MonitorConsole.Audit.Export;

public enum ExportFormat
{
    Json,
    Csv,
}

/// <summary>Streams the chain or a trail, in sequence order, as JSON or CSV. Memory stays flat at any size.</summary>
public sealed class AuditExporter(AuditDatabase database, TimeProvider clock)
{
    public static readonly string[] Columns =
    [
        "sequence", "entry_id", "timestamp", "action", "actor", "resource_type", "resource_id", "data", "details",
        "data_hash", "previous_hash", "entry_hash", "rolled_back",
    ];

    private const int FlushEvery = 2_000;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    /// <summary>Writes the export; <paramref name="filter"/> null means the whole chain, rolled-back entries included.</summary>
    public async Task<long> ExportAsync(
        Stream output, ExportFormat format, TrailFilter? filter = null, CancellationToken ct = default)
    {
        filter ??= TrailFilter.All with { IncludeRolledBack = true };
        var (context, connection) = await database.OpenAsync(ct);
        await using (context)
        {
            await using var transaction = await AuditDatabase.BeginReadTransactionAsync(connection, ct);
            var rolledBack = await RolledBackRanges.LoadAsync(connection, transaction, ct);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            var where = filter.WhereSql(command, rolledBack);
            command.CommandText = $"SELECT {AuditSchema.Columns} FROM {AuditSchema.Table} WHERE {where} ORDER BY sequence";
            await using var reader = await command.ExecuteReaderAsync(ct);
            var rows = ReadAll(reader, rolledBack, ct);
            return format == ExportFormat.Json
                ? await WriteJsonAsync(output, filter, rows, ct)
                : await WriteCsvAsync(output, rows, ct);
        }
    }

    private static async IAsyncEnumerable<(AuditEntry Entry, bool RolledBack)> ReadAll(
        System.Data.Common.DbDataReader reader, RolledBackRanges rolledBack,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        while (await reader.ReadAsync(ct))
        {
            var entry = EntryRows.ReadEntry(reader);
            yield return (entry, rolledBack.Contains(entry.Sequence));
        }
    }

    private async Task<long> WriteJsonAsync(
        Stream output, TrailFilter filter, IAsyncEnumerable<(AuditEntry Entry, bool RolledBack)> rows, CancellationToken ct)
    {
        await using var json = new Utf8JsonWriter(output, WriterOptions);
        json.WriteStartObject();
        json.WriteString("format", HashSpec.Version);
        json.WriteString("exported_at", HashSpec.FormatTimestamp(clock.GetUtcNow().UtcDateTime));
        json.WriteString("scope", filter.IsWholeChain ? "chain" : "trail");
        if (!filter.IsWholeChain) WriteFilter(json, filter);
        json.WriteStartArray("entries");
        long count = 0;
        await foreach (var (e, rolledBack) in rows)
        {
            json.WriteStartObject();
            json.WriteNumber("sequence", e.Sequence);
            json.WriteString("entry_id", e.EntryId);
            json.WriteString("timestamp", HashSpec.FormatTimestamp(e.Timestamp));
            json.WriteString("action", e.Action);
            json.WriteString("actor", e.Actor);
            json.WriteString("resource_type", e.ResourceType);
            json.WriteString("resource_id", e.ResourceId);
            json.WriteString("data", e.Data);
            json.WriteString("details", e.Details);
            json.WriteString("data_hash", e.DataHash);
            json.WriteString("previous_hash", e.PreviousHash);
            json.WriteString("entry_hash", e.EntryHash);
            json.WriteBoolean("rolled_back", rolledBack);
            json.WriteEndObject();
            if (++count % FlushEvery == 0) await json.FlushAsync(ct);
        }
        json.WriteEndArray();
        json.WriteNumber("entry_count", count);
        json.WriteEndObject();
        await json.FlushAsync(ct);
        return count;
    }

    private static void WriteFilter(Utf8JsonWriter json, TrailFilter filter)
    {
        json.WriteStartObject("filter");
        if (filter.Actor is not null) json.WriteString("actor", filter.Actor);
        if (filter.Action is not null) json.WriteString("action", filter.Action);
        if (filter.ResourceType is not null) json.WriteString("resource_type", filter.ResourceType);
        if (filter.ResourceId is not null) json.WriteString("resource_id", filter.ResourceId);
        if (filter.From is { } from) json.WriteString("from", HashSpec.FormatTimestamp(from));
        if (filter.To is { } to) json.WriteString("to", HashSpec.FormatTimestamp(to));
        json.WriteBoolean("include_rolled_back", filter.IncludeRolledBack);
        json.WriteEndObject();
    }

    private static async Task<long> WriteCsvAsync(
        Stream output, IAsyncEnumerable<(AuditEntry Entry, bool RolledBack)> rows, CancellationToken ct)
    {
        // Injection is neutralised by SpreadsheetSafety (reversibly) rather than by CsvHelper, so verification can
        // recover the exact stored text.
        await using var csv = CsvWriter.Create(output, new CsvWriterOptions { Injection = CsvInjection.None }, leaveOpen: true);
        csv.WriteHeader(Columns);
        long count = 0;
        await foreach (var (e, rolledBack) in rows)
        {
            csv.WriteField(e.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture));
            csv.WriteField(e.EntryId);
            csv.WriteField(HashSpec.FormatTimestamp(e.Timestamp));
            csv.WriteField(SpreadsheetSafety.Escape(e.Action));
            csv.WriteField(SpreadsheetSafety.Escape(e.Actor));
            csv.WriteField(SpreadsheetSafety.Escape(e.ResourceType));
            csv.WriteField(SpreadsheetSafety.Escape(e.ResourceId));
            csv.WriteField(SpreadsheetSafety.Escape(e.Data));
            csv.WriteField(SpreadsheetSafety.Escape(e.Details));
            csv.WriteField(e.DataHash);
            csv.WriteField(e.PreviousHash);
            csv.WriteField(e.EntryHash);
            csv.WriteField(rolledBack ? "true" : "false");
            await csv.EndRecordAsync(ct);
            count++;
        }
        await csv.FlushAsync(ct);
        return count;
    }
}
