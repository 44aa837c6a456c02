using System.Buffers;
using System.Buffers.Text;
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

/// <summary>
/// Streams the chain or a trail, in sequence order, as JSON or CSV, straight from the rows' UTF-8 bytes. Memory stays
/// flat at any size: one batch of rows and the writers' buffers.
/// </summary>
public sealed class AuditExporter(AuditDatabase database, TimeProvider clock)
{
    public static readonly string[] Columns =
    [
        "sequence", "entry_id", "timestamp", "action", "actor", "resource_type", "resource_id", "data", "details",
        "data_hash", "previous_hash", "entry_hash", "data_erased", "rolled_back", "scope",
    ];

    /// <summary>Position of <c>data_erased</c> in <see cref="Columns"/>: true when the entry's data text was erased.</summary>
    public const int DataErasedColumn = 12;

    private const int RolledBackColumn = 13;

    /// <summary>The <c>scope</c> of an export of the whole chain.</summary>
    public const string ChainScope = "chain";

    /// <summary>The <c>scope</c> of an export of the entries a filter picked.</summary>
    public const string TrailScope = "trail";

    private static readonly JsonEncodedText[] JsonNames = Columns.Select(c => JsonEncodedText.Encode(c)).ToArray();

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        SkipValidation = true,
    };

    /// <summary>Writes the export; <paramref name="filter"/> null means the whole chain, rolled-back entries included.</summary>
    /// <returns>How many entries it holds.</returns>
    public async Task<long> ExportAsync(
        Stream output, ExportFormat format, TrailFilter? filter = null, CancellationToken ct = default)
    {
        var tally = new ExportTally();
        await ExportAsync(output, format, filter, tally, ct);
        return tally.EntryCount;
    }

    /// <summary>
    /// Writes the export and keeps <paramref name="tally"/> up to date with the entries flushed to
    /// <paramref name="output"/>, so a caller can say which entries a file holds, or had reached when it failed. Every
    /// write to the output is asynchronous (a server's response refuses synchronous writes). A CSV starts with a UTF-8
    /// byte order mark, so spreadsheets read it as UTF-8; JSON has none.
    /// </summary>
    public async Task ExportAsync(
        Stream output, ExportFormat format, TrailFilter? filter, ExportTally tally, CancellationToken ct = default)
    {
        filter ??= TrailFilter.All with { IncludeRolledBack = true };
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = await AuditDatabase.BeginReadTransactionAsync(connection, ct);
        var rolledBack = await RolledBackRanges.LoadAsync(connection, transaction, ct);
        var parameters = new SqlParameters();
        var where = await filter.WhereSqlAsync(connection, transaction, parameters, rolledBack, ct);
        // A prefix of the chain (an evidence pack's) may end before the ERASURE entry of an entry in it.
        if (!filter.IsWholeChain || filter.ThroughSequence is not null)
        {
            tally.ErasureRecordsAdded = await ErasureCompanions.FindAsync(connection, transaction, where, parameters, ct);
            where = ErasureCompanions.Widen(where, tally.ErasureRecordsAdded);
        }
        var batches = ChainRowReader.ReadAsync(connection, transaction, LedgerSql.Of(connection).Entries(where), parameters, ct);
        if (format == ExportFormat.Json) await WriteJsonAsync(output, filter, batches, rolledBack, tally, ct);
        else await WriteCsvAsync(output, Scope(filter), batches, rolledBack, tally, ct);
    }

    private async Task WriteJsonAsync(Stream output, TrailFilter filter, IAsyncEnumerable<ChainRowBatch> batches,
        RolledBackRanges rolledBack, ExportTally tally, CancellationToken ct)
    {
        await using var json = new Utf8JsonWriter(output, WriterOptions);
        json.WriteStartObject();
        json.WriteString("format", HashSpec.Version);
        json.WriteString("exported_at", HashSpec.FormatTimestamp(clock.GetUtcNow().UtcDateTime));
        json.WriteString("scope", Scope(filter));
        if (!filter.IsWholeChain) WriteFilter(json, filter);
        if (tally.ErasureRecordsAdded.Count > 0)
        {
            // Not picked by the filter, but each records the erasure of an entry it picked (see ErasureCompanions).
            json.WriteStartArray("erasure_records_added");
            foreach (var sequence in tally.ErasureRecordsAdded) json.WriteNumberValue(sequence);
            json.WriteEndArray();
        }
        json.WriteStartArray("entries");
        long count = 0;
        await foreach (var batch in batches)
        {
            using (batch)
            {
                for (var i = 0; i < batch.Count; i++)
                {
                    var sequence = batch.Sequence(i) ?? 0;
                    json.WriteStartObject();
                    json.WriteNumber(JsonNames[0], sequence);
                    var erased = IsErased(batch, i);
                    for (var c = 1; c < Col.Count; c++)
                    {
                        if (batch.IsNull(i, c) || (c == Col.Data && erased)) json.WriteNull(JsonNames[c]);
                        else json.WriteString(JsonNames[c], batch.Get(i, c));
                    }
                    json.WriteBoolean(JsonNames[DataErasedColumn], erased);
                    json.WriteBoolean(JsonNames[RolledBackColumn], rolledBack.Contains(sequence));
                    json.WriteEndObject();
                }
                count += batch.Count;
                await json.FlushAsync(ct);
                Flushed(tally, batch);
            }
        }
        json.WriteEndArray();
        json.WriteNumber("entry_count", count);
        json.WriteEndObject();
        await json.FlushAsync(ct);
    }

    /// <summary>An erased entry's data column holds the empty text (<see cref="ErasureRecord.ErasedData"/>).</summary>
    private static bool IsErased(ChainRowBatch batch, int i) => !batch.IsNull(i, Col.Data) && batch.Get(i, Col.Data).IsEmpty;

    private static void Flushed(ExportTally tally, ChainRowBatch batch)
    {
        if (batch.Count == 0) return;
        var last = batch.Count - 1;
        tally.Flushed(batch.Count, batch.Sequence(0), batch.Sequence(last), batch.GetString(last, Col.EntryHash));
    }

    private static string Scope(TrailFilter filter) => filter.IsWholeChain ? ChainScope : TrailScope;

    private static void WriteFilter(Utf8JsonWriter json, TrailFilter filter)
    {
        json.WriteStartObject("filter");
        if (filter.Actor is not null) json.WriteString("actor", filter.Actor);
        if (filter.Action is not null) json.WriteString("action", filter.Action);
        if (filter.ResourceType is not null) json.WriteString("resource_type", filter.ResourceType);
        if (filter.ResourceId is not null) json.WriteString("resource_id", filter.ResourceId);
        if (filter.From is { } from) json.WriteString("from", HashSpec.FormatTimestamp(from));
        if (filter.To is { } to) json.WriteString("to", HashSpec.FormatTimestamp(to));
        if (filter.Text is not null) json.WriteString("q", filter.Text);
        if (filter.ThroughSequence is { } through) json.WriteNumber("through_sequence", through);
        json.WriteBoolean("include_rolled_back", filter.IncludeRolledBack);
        json.WriteEndObject();
    }

    private static async Task WriteCsvAsync(Stream output, string scope, IAsyncEnumerable<ChainRowBatch> batches,
        RolledBackRanges rolledBack, ExportTally tally, CancellationToken ct)
    {
        // Injection is neutralised by SpreadsheetSafety (reversibly) rather than by CsvHelper, so verification can
        // recover the exact stored text. The byte order mark is what makes Excel read the file as UTF-8.
        var options = new CsvWriterOptions { Injection = CsvInjection.None, WriteByteOrderMark = true };
        await using var csv = CsvWriter.Create(output, options, leaveOpen: true);
        csv.WriteHeader(Columns);
        var scratch = new ArrayBufferWriter<byte>(1024);
        // Every row says what the file is, so a spreadsheet cut or filtered by hand still shows it.
        var scopeBytes = System.Text.Encoding.ASCII.GetBytes(scope);
        await foreach (var batch in batches)
        {
            using (batch)
            {
                for (var i = 0; i < batch.Count; i++)
                {
                    WriteCsvFields(csv, batch, i, rolledBack, scopeBytes, scratch);
                    // Fields only fill the writer's buffer; ending the record is where it writes, so it must be async.
                    await csv.EndRecordAsync(ct);
                }
                await csv.FlushAsync(ct);
                Flushed(tally, batch);
            }
        }
        await csv.FlushAsync(ct);
    }

    private static void WriteCsvFields(CsvWriter csv, ChainRowBatch batch, int i, RolledBackRanges rolledBack, byte[] scope,
        ArrayBufferWriter<byte> scratch)
    {
        Span<byte> number = stackalloc byte[20];
        var sequence = batch.Sequence(i) ?? 0;
        Utf8Formatter.TryFormat(sequence, number, out var digits);
        csv.WriteField(number[..digits]);
        csv.WriteField(batch.Get(i, Col.EntryId));
        csv.WriteField(batch.Get(i, Col.Timestamp));
        for (var c = Col.Action; c <= Col.Details; c++)
            csv.WriteField(SpreadsheetSafety.Escape(batch.Get(i, c), scratch));
        csv.WriteField(batch.Get(i, Col.DataHash));
        csv.WriteField(batch.Get(i, Col.PreviousHash));
        csv.WriteField(batch.Get(i, Col.EntryHash));
        csv.WriteField(IsErased(batch, i) ? "true"u8 : "false"u8);
        csv.WriteField(rolledBack.Contains(sequence) ? "true"u8 : "false"u8);
        csv.WriteField((ReadOnlySpan<byte>)scope);
    }
}
