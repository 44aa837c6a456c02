using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using CsvHelper;
using MonitorConsole.Audit.Chain;

namespace MonitorConsole.Audit.Export;

/// <summary>What offline verification of an export found.</summary>
public sealed record ExportVerification(
    string Format,
    string Scope,
    VerificationResult Result,
    string? Note);

/// <summary>
/// Verifies an export file with no database: the same <see cref="ChainChecker"/> rules as the live chain. A whole-chain
/// export is verified link by link from genesis; a trail export (entries picked by a filter) can only have each entry's
/// own hashes checked, because its neighbours in the chain are not in the file.
/// </summary>
public static class ExportVerifier
{
    private const int BatchSize = 4096;

    public static async Task<ExportVerification> VerifyFileAsync(string path, int maxProblems = 10_000, CancellationToken ct = default)
    {
        await using var stream = File.OpenRead(path);
        var first = stream.ReadByte();
        while (first is ' ' or '\t' or '\r' or '\n' or 0xEF or 0xBB or 0xBF) first = stream.ReadByte();
        stream.Position = 0;
        return first == '{'
            ? await VerifyJsonAsync(stream, maxProblems, ct)
            : await VerifyCsvAsync(stream, maxProblems, ct);
    }

    public static async Task<ExportVerification> VerifyJsonAsync(Stream stream, int maxProblems = 10_000, CancellationToken ct = default)
    {
        var started = Stopwatch.GetTimestamp();
        string? format = null, scope = null;
        var checker = new ChainChecker(maxProblems);
        var trailChecker = new TrailChecker(maxProblems);
        var pending = new List<RawEntry>(BatchSize);
        await foreach (var item in JsonExportReader.ReadAsync(stream, ct))
        {
            switch (item)
            {
                case JsonExportReader.Header h when h.Name == "format": format = h.Value; break;
                case JsonExportReader.Header h when h.Name == "scope": scope = h.Value; break;
                case JsonExportReader.Entry e:
                    if (format != HashSpec.Version)
                        throw new AuditOperationException($"not a {HashSpec.Version} export (format is '{format ?? "missing"}')");
                    var raw = e.Value.ToRaw();
                    if (scope == "trail") trailChecker.Check(raw);
                    else pending.Add(raw);
                    if (pending.Count == BatchSize)
                    {
                        checker.Check(pending);
                        pending.Clear();
                    }
                    break;
            }
        }
        if (pending.Count > 0) checker.Check(pending);
        if (format != HashSpec.Version)
            throw new AuditOperationException($"not a {HashSpec.Version} export (format is '{format ?? "missing"}')");
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return scope == "trail"
            ? new ExportVerification("json", "trail", trailChecker.Result(elapsed), TrailChecker.Note)
            : new ExportVerification("json", "chain", checker.Result(elapsed), null);
    }

    /// <summary>
    /// A CSV export holds the same text, with a reversible apostrophe in front of cells a spreadsheet would run; the
    /// verifier removes it and checks the chain. CSV carries no scope, so it is checked as a whole chain when it starts
    /// at sequence 1, else entry by entry.
    /// </summary>
    public static async Task<ExportVerification> VerifyCsvAsync(Stream stream, int maxProblems = 10_000, CancellationToken ct = default)
    {
        var started = Stopwatch.GetTimestamp();
        await using var csv = CsvReader.Create(stream, null, leaveOpen: true);
        int[] index = new int[AuditExporter.Columns.Length - 1];
        var headerRead = false;
        ChainChecker? chain = null;
        TrailChecker? trail = null;
        while (await csv.ReadAsync(ct))
        {
            if (!headerRead)
            {
                for (var i = 0; i < index.Length; i++)
                    if (!csv.TryGetFieldIndex(AuditExporter.Columns[i], out index[i]))
                        throw new AuditOperationException($"the CSV has no '{AuditExporter.Columns[i]}' column");
                headerRead = true;
            }
            string? Field(int column) => csv.GetString(index[column]) is { Length: > 0 } v ? v : null;
            var raw = new RawEntry(
                long.TryParse(Field(0), out var seq) ? seq : null,
                Field(1), Field(2),
                SpreadsheetSafety.Unescape(Field(3)), SpreadsheetSafety.Unescape(Field(4)),
                SpreadsheetSafety.Unescape(Field(5)), SpreadsheetSafety.Unescape(Field(6)),
                SpreadsheetSafety.Unescape(Field(7)), SpreadsheetSafety.Unescape(Field(8)),
                Field(9), Field(10), Field(11));
            if (chain is null && trail is null)
            {
                if (raw.Sequence == 1) chain = new ChainChecker(maxProblems);
                else trail = new TrailChecker(maxProblems);
            }
            if (chain is not null) chain.Check(raw);
            else trail!.Check(raw);
        }
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return trail is not null
            ? new ExportVerification("csv", "trail", trail.Result(elapsed), TrailChecker.Note)
            : new ExportVerification("csv", "chain", (chain ?? new ChainChecker(maxProblems)).Result(elapsed), null);
    }

    /// <summary>Checks each entry on its own: a trail's entries are not neighbours in the chain.</summary>
    private sealed class TrailChecker(int maxProblems)
    {
        public const string Note =
            "trail export: each entry's data_hash and entry_hash were checked; links between entries cannot be, because a trail leaves out the entries between them";

        private readonly List<InvalidEntry> _invalid = [];
        private long _total, _verified, _invalidCount;

        public void Check(RawEntry row)
        {
            _total++;
            // Anchor each entry on its own predecessor claim, so only its own hashes are judged.
            var single = new ChainChecker(maxProblems,
                row.Sequence is { } s && row.PreviousHash is { } p ? (s - 1, p) : null);
            single.Check(row);
            var result = single.Result(0);
            if (result.Valid) _verified++;
            foreach (var problem in result.InvalidEntries)
            {
                _invalidCount++;
                if (_invalid.Count < maxProblems) _invalid.Add(problem);
            }
        }

        public VerificationResult Result(double elapsedMs) => new(
            _invalidCount == 0, _total, _verified, _invalid, [], _invalidCount, 0, _invalidCount > _invalid.Count,
            null, null, null, Math.Round(elapsedMs, 3));
    }
}

/// <summary>An entry of a JSON export, read without trusting it.</summary>
internal sealed class ExportedEntry
{
    [JsonPropertyName("sequence")] public long? Sequence { get; set; }
    [JsonPropertyName("entry_id")] public string? EntryId { get; set; }
    [JsonPropertyName("timestamp")] public string? Timestamp { get; set; }
    [JsonPropertyName("action")] public string? Action { get; set; }
    [JsonPropertyName("actor")] public string? Actor { get; set; }
    [JsonPropertyName("resource_type")] public string? ResourceType { get; set; }
    [JsonPropertyName("resource_id")] public string? ResourceId { get; set; }
    [JsonPropertyName("data")] public string? Data { get; set; }
    [JsonPropertyName("details")] public string? Details { get; set; }
    [JsonPropertyName("data_hash")] public string? DataHash { get; set; }
    [JsonPropertyName("previous_hash")] public string? PreviousHash { get; set; }
    [JsonPropertyName("entry_hash")] public string? EntryHash { get; set; }

    public RawEntry ToRaw() => new(Sequence, EntryId, Timestamp, Action, Actor, ResourceType, ResourceId, Data, Details,
        DataHash, PreviousHash, EntryHash);
}
