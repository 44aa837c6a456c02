using System.Diagnostics;
using System.Text.Json.Serialization;
using CsvHelper;
using MonitorConsole.Audit.Chain;

namespace MonitorConsole.Audit.Export;

/// <summary>
/// Verifies an export file with no database, trusting nothing the file says about itself: the caller picks the
/// check (<see cref="ExportCheckMode"/>), and the file's scope, filter, counts and rolled_back flags never relax it.
/// Both checks use <see cref="ChainChecker"/>, the rules of database verification; entries are streamed in batches,
/// so memory stays flat at any size.
/// </summary>
public static class ExportVerifier
{
    private const int BatchSize = 4096;

    /// <summary>The CSV columns a row needs; data_erased, rolled_back and scope are optional (older CSVs lack them).</summary>
    private const int RequiredCsvColumns = 12;

    private const string TrailNote =
        "completeness and links were not proven: a trail check looks at each entry on its own, so it cannot tell "
        + "whether entries are missing from the file, or whether its entries link into one chain";

    public static async Task<ExportVerification> VerifyFileAsync(string path,
        ExportCheckMode mode = ExportCheckMode.CompleteChain, int maxProblems = 10_000, CancellationToken ct = default)
    {
        await using var stream = File.OpenRead(path);
        var first = stream.ReadByte();
        while (first is ' ' or '\t' or '\r' or '\n' or 0xEF or 0xBB or 0xBF) first = stream.ReadByte();
        stream.Position = 0;
        return first == '{'
            ? await VerifyJsonAsync(stream, mode, maxProblems, ct)
            : await VerifyCsvAsync(stream, mode, maxProblems, ct);
    }

    public static async Task<ExportVerification> VerifyJsonAsync(Stream stream,
        ExportCheckMode mode = ExportCheckMode.CompleteChain, int maxProblems = 10_000, CancellationToken ct = default)
    {
        var started = Stopwatch.GetTimestamp();
        string? format = null;
        var check = new Check(mode, maxProblems);
        await foreach (var item in JsonExportReader.ReadAsync(stream, ct))
        {
            switch (item)
            {
                case JsonExportReader.Header h when h.Name == "format": format = h.Value; break;
                case JsonExportReader.Header h when h.Name == "scope": check.Claim(h.Value); break;
                case JsonExportReader.Entry e:
                    if (format != HashSpec.Version) throw NotAnExport(format);
                    check.Add(e.Value.ToRaw());
                    break;
            }
        }
        if (format != HashSpec.Version) throw NotAnExport(format);
        return check.Finish("json", false, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>
    /// A CSV export holds the same text, with a reversible apostrophe in front of cells a spreadsheet would run; the
    /// verifier removes it and checks the entries exactly as in JSON. The scope column only shapes the message.
    /// </summary>
    public static async Task<ExportVerification> VerifyCsvAsync(Stream stream,
        ExportCheckMode mode = ExportCheckMode.CompleteChain, int maxProblems = 10_000, CancellationToken ct = default)
    {
        var started = Stopwatch.GetTimestamp();
        await using var csv = CsvReader.Create(stream, null, leaveOpen: true);
        await csv.ReadHeaderAsync(ct);
        var index = new int[RequiredCsvColumns];
        for (var i = 0; i < index.Length; i++)
        {
            var column = AuditExporter.Columns[i];
            if (!csv.TryGetFieldIndex(column, out index[i]))
                throw new AuditOperationException($"the CSV has no '{column}' column; is it an audit export?");
            if (csv.TryGetFieldIndex(column, 1, out _))
                throw new AuditOperationException($"the CSV has more than one '{column}' column, so it is not read");
        }
        var scopeIndex = csv.TryGetFieldIndex("scope", out var s) ? s : -1;
        var erasedIndex = csv.TryGetFieldIndex(AuditExporter.Columns[AuditExporter.DataErasedColumn], out var e) ? e : -1;
        var check = new Check(mode, maxProblems);
        while (await csv.ReadAsync(ct))
        {
            string? Field(int column) =>
                column < csv.FieldCount && csv.GetString(column) is { Length: > 0 } v ? v : null;
            string? Text(int column) => SpreadsheetSafety.Unescape(Field(index[column]));
            if (scopeIndex >= 0) check.Claim(Field(scopeIndex));
            // An empty data cell is an erased data text only where the row says so; erasure is then proven by the chain.
            var data = Text(7) ?? (erasedIndex >= 0 && Field(erasedIndex) == "true" ? ErasureRecord.ErasedData : null);
            check.Add(new RawEntry(
                long.TryParse(Field(index[0]), out var seq) ? seq : null,
                Field(index[1]), Field(index[2]),
                Text(3), Text(4), Text(5), Text(6), data, Text(8),
                Field(index[9]), Field(index[10]), Field(index[11])));
        }
        return check.Finish("csv", scopeIndex < 0, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    private static AuditOperationException NotAnExport(string? format) =>
        new($"not a {HashSpec.Version} export (format is '{format ?? "missing"}')");

    /// <summary>
    /// One run of a check over a stream of entries. A complete-chain check feeds runs of consecutive sequences to one
    /// <see cref="ChainChecker"/> each: a gap ends a run and is reported as missing entries, and the next run starts
    /// from the claim of its first entry, so the entries after a gap are still checked and a cut file is not mistaken
    /// for a tampered one. A trail check gives every entry a checker of its own.
    /// </summary>
    private sealed class Check(ExportCheckMode mode, int maxProblems)
    {
        private readonly List<RawEntry> _pending = new(BatchSize);
        private readonly List<InvalidEntry> _invalid = [];
        private readonly List<ChainBreak> _breaks = [];
        private readonly List<ExportProblem> _problems = [];
        private ChainChecker? _run;
        private readonly ErasureTracker _erasures = new();
        private long _erasedCount;
        private IReadOnlyList<ErasedEntry> _erased = [];
        private long _total, _verified, _invalidCount, _breakCount, _orderCount, _incompleteCount;
        private long? _firstSequence, _lastSequence;
        private string? _lastStoredTimestamp;
        private string? _lastEntryHash;
        private DateTime? _lastTimestamp;
        private bool _claimsTrail, _claimsChain;

        /// <summary>Records what the file says it is; it changes only the wording of the result.</summary>
        public void Claim(string? scope)
        {
            if (scope == AuditExporter.TrailScope) _claimsTrail = true;
            else if (scope == AuditExporter.ChainScope) _claimsChain = true;
        }

        public void Add(RawEntry row)
        {
            if (mode == ExportCheckMode.Trail) AddToTrail(row);
            else AddToChain(row);
        }

        private void AddToChain(RawEntry row)
        {
            if (_run is null)
            {
                _firstSequence = row.Sequence;
                if (row.Sequence is { } start && start != 1)
                {
                    Incomplete(ExportProblemKinds.NotFromGenesis, row,
                        $"not a complete chain: the file's first entry is sequence {start}, {Before(start)}");
                    _run = AnchoredOn(row);
                }
                else
                {
                    _run = new ChainChecker(maxProblems, erasures: _erasures);
                }
            }
            else if (row.Sequence is { } s && _lastSequence is { } p && s > p + 1)
            {
                EndRun();
                Incomplete(ExportProblemKinds.EntriesMissing, row,
                    $"not a complete chain: sequence jumps from {p} to {s}, so {Entries(s - p - 1)} missing");
                // Time still may not go backwards across the hole: the new run is dated against the last entry seen.
                _run = AnchoredOn(row, _lastStoredTimestamp);
            }
            _lastSequence = row.Sequence ?? (_lastSequence ?? 0) + 1;
            _lastStoredTimestamp = row.Timestamp;
            _pending.Add(row);
            if (_pending.Count == BatchSize) Flush();
        }

        /// <summary>
        /// A checker that takes the row's own claim about the entry before it (which is not in the file) as given,
        /// so only what the file can show is judged. Sequence 1 always starts from genesis.
        /// </summary>
        private ChainChecker AnchoredOn(RawEntry row, string? previousTimestamp = null) => new(maxProblems,
            row.Sequence is { } s and not 1 && row.PreviousHash is { } p ? (s - 1, p) : null, previousTimestamp, _erasures);

        /// <summary>
        /// Erased entries are judged once the whole file is read (their ERASURE entries come later): one recorded by
        /// an ERASURE entry in the file is erased, any other is tampering, in either check.
        /// </summary>
        private void ResolveErasures()
        {
            var resolution = _erasures.Resolve();
            _erasedCount = resolution.Erased.Count;
            _erased = [.. resolution.Erased.Take(maxProblems)];
            foreach (var (problem, countedVerified) in resolution.Problems)
            {
                if (countedVerified) _verified--;
                _invalidCount++;
                if (List(new ExportProblem(ExportProblemCategories.Tampering, problem.Reason, problem.Sequence,
                        NullIfEmpty(problem.EntryId), problem.Detail)))
                    _invalid.Add(problem);
            }
        }

        private void Flush()
        {
            if (_pending.Count == 0) return;
            _run!.Check(_pending);
            _pending.Clear();
        }

        private void EndRun()
        {
            if (_run is null) return;
            Flush();
            Merge(_run.Result(0), countAsVerified: true);
            _run = null;
        }

        private void AddToTrail(RawEntry row)
        {
            _firstSequence ??= row.Sequence;
            var inOrder = true;
            if (row.Sequence is { } s && _lastSequence is { } p && s <= p)
            {
                inOrder = false;
                Order(ExportProblemKinds.SequenceNotIncreasing, row,
                    $"sequence {s} follows {p}: an export lists entries in increasing sequence order, so entries were reordered or duplicated");
            }
            if (row.Timestamp is { } text && HashSpec.TryParseTimestamp(text, out var time))
            {
                if (_lastTimestamp is { } before && time < before)
                {
                    inOrder = false;
                    Order(ExportProblemKinds.TimestampGoesBack, row,
                        $"timestamp {text} is earlier than that of the entry before it in the file ({HashSpec.FormatTimestamp(before)}); the ledger never writes an entry earlier than the one before");
                }
                _lastTimestamp = time;
            }
            if (row.Sequence is not null) _lastSequence = row.Sequence;

            var single = AnchoredOn(row);
            single.Check(row);
            Merge(single.Result(0), countAsVerified: inOrder);
        }

        private void Merge(VerificationResult r, bool countAsVerified)
        {
            _total += r.TotalEntries;
            if (countAsVerified) _verified += r.VerifiedEntries;
            _invalidCount += r.InvalidEntryCount;
            _breakCount += r.ChainBreakCount;
            if (r.TotalEntries > 0) _lastEntryHash = r.LastEntryHash;
            // The checker keeps its two lists apart; list the problems in file (sequence) order.
            var inOrder = r.InvalidEntries.Select(i => (i.Sequence, Invalid: (InvalidEntry?)i, Break: (ChainBreak?)null))
                .Concat(r.ChainBreaks.Select(b => (b.Sequence, Invalid: (InvalidEntry?)null, Break: (ChainBreak?)b)))
                .OrderBy(p => p.Sequence);
            foreach (var (_, invalid, link) in inOrder)
            {
                var problem = invalid is not null
                    ? new ExportProblem(ExportProblemCategories.Tampering, invalid.Reason, invalid.Sequence, NullIfEmpty(invalid.EntryId), invalid.Detail)
                    : new ExportProblem(ExportProblemCategories.Tampering, link!.Kind, link.Sequence, NullIfEmpty(link.EntryId), link.Detail);
                if (!List(problem)) break;
                if (invalid is not null) _invalid.Add(invalid);
                else _breaks.Add(link!);
            }
        }

        private void Incomplete(string kind, RawEntry row, string detail)
        {
            _incompleteCount++;
            List(new ExportProblem(ExportProblemCategories.Incomplete, kind, row.Sequence, row.EntryId, detail));
        }

        private void Order(string kind, RawEntry row, string detail)
        {
            _orderCount++;
            List(new ExportProblem(ExportProblemCategories.Tampering, kind, row.Sequence, row.EntryId, detail));
        }

        private bool List(ExportProblem problem)
        {
            if (_problems.Count >= maxProblems) return false;
            _problems.Add(problem);
            return true;
        }

        public ExportVerification Finish(string format, bool csvWithoutScope, double elapsedMs)
        {
            EndRun();
            ResolveErasures();
            var claimed = _claimsTrail ? AuditExporter.TrailScope : _claimsChain ? AuditExporter.ChainScope : null;
            var fileLevel = new List<ExportProblem>();
            if (mode == ExportCheckMode.CompleteChain)
            {
                // The file's own word can only add a failure, never remove one.
                if (_claimsTrail)
                    fileLevel.Add(new ExportProblem(ExportProblemCategories.Incomplete, ExportProblemKinds.ClaimsTrail, null, null,
                        "the file says it is a trail export; a trail cannot prove completeness — use --trail to check its entries one by one"));
                if (_total == 0)
                    fileLevel.Add(new ExportProblem(ExportProblemCategories.Incomplete, ExportProblemKinds.NoEntries, null, null,
                        "not a complete chain: the file holds no entries, so there is nothing to prove"));
            }
            _incompleteCount += fileLevel.Count;
            var tampering = _invalidCount + _breakCount + _orderCount;
            var outcome = tampering > 0 ? ExportOutcomes.Tampered
                : mode == ExportCheckMode.Trail ? ExportOutcomes.EntriesValid
                : _incompleteCount > 0 ? ExportOutcomes.Incomplete
                : ExportOutcomes.CompleteChain;
            var result = new VerificationResult(tampering == 0, _total, _verified, _invalid, _breaks, _invalidCount,
                _breakCount, _invalidCount + _breakCount > _invalid.Count + _breaks.Count, _firstSequence, _lastSequence,
                _lastEntryHash, Math.Round(elapsedMs, 3)) { ErasedCount = _erasedCount, ErasedEntries = _erased };
            return new ExportVerification(
                format,
                mode == ExportCheckMode.Trail ? ExportVerification.TrailMode : ExportVerification.ChainMode,
                claimed,
                outcome,
                outcome == ExportOutcomes.CompleteChain,
                _total,
                _verified,
                _firstSequence,
                _lastSequence,
                _lastEntryHash,
                tampering,
                _incompleteCount,
                [.. fileLevel, .. _problems],
                tampering + _incompleteCount > fileLevel.Count + _problems.Count,
                Summary(outcome, tampering),
                Note(outcome, csvWithoutScope),
                Math.Round(elapsedMs, 3),
                result)
            {
                ErasedCount = _erasedCount,
                ErasedEntries = _erased,
            };
        }

        private string Summary(string outcome, long tampering) => outcome switch
        {
            ExportOutcomes.CompleteChain or ExportOutcomes.EntriesValid when _erasedCount > 0 =>
                SummaryOf(outcome, tampering) + (_erasedCount == 1 ? "; 1 entry's" : $"; {_erasedCount} entries'") + " data erased, each recorded by an ERASURE entry",
            _ => SummaryOf(outcome, tampering),
        };

        private string SummaryOf(string outcome, long tampering) => outcome switch
        {
            ExportOutcomes.CompleteChain =>
                $"valid, complete chain: {_verified} of {_total} entries verified, sequence 1 to {_lastSequence}; every hash and link holds",
            ExportOutcomes.Incomplete =>
                $"NOT A COMPLETE CHAIN: {_verified} of {_total} entries verified and none shows tampering, but the file does not hold the whole chain ({Count(_incompleteCount, "completeness problem")})",
            ExportOutcomes.EntriesValid =>
                $"entries individually valid: {_verified} of {_total} entries' data_hash and entry_hash hold, sequences increase and timestamps never go back",
            _ => $"TAMPERING FOUND: {Count(tampering, "problem")} in {_total} entries ({_invalidCount} invalid, {_breakCount} broken links, {_orderCount} out of order)"
                 + (mode == ExportCheckMode.CompleteChain && _incompleteCount > 0
                     ? $"; the file is not a complete chain either ({Count(_incompleteCount, "completeness problem")})"
                     : ""),
        };

        private string? Note(string outcome, bool csvWithoutScope)
        {
            if (mode == ExportCheckMode.Trail) return TrailNote;
            if (outcome == ExportOutcomes.CompleteChain)
                return "a hash chain cannot show that its newest entries were cut off: compare the last entry_hash with a signed checkpoint or a copy kept elsewhere";
            if (_incompleteCount == 0) return null;
            if (_claimsTrail) return "a trail check (--trail) checks each entry's own hashes; it cannot prove completeness either";
            if (csvWithoutScope)
                return "this CSV has no scope column; if it is a filtered (trail) export, check it with --trail, which checks each entry's own hashes but cannot prove completeness";
            return null;
        }

        private static string Before(long start) => start switch
        {
            2 => "so entry 1 is not in it",
            > 2 => $"so entries 1 to {start - 1} are not in it",
            _ => "but a chain starts at 1",
        };

        private static string Entries(long n) => n == 1 ? "1 entry is" : $"{n} entries are";

        private static string Count(long n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";

        private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
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
    [JsonPropertyName("data_erased")] public bool? DataErased { get; set; }

    /// <summary>Informational only (not hashed): a report may show it, no check relies on it.</summary>
    [JsonPropertyName("rolled_back")] public bool? RolledBack { get; set; }

    /// <summary>A null data is an erased data text only where the entry says so; erasure is then proven by the chain.</summary>
    public RawEntry ToRaw() => new(Sequence, EntryId, Timestamp, Action, Actor, ResourceType, ResourceId,
        Data ?? (DataErased == true ? ErasureRecord.ErasedData : null), Details, DataHash, PreviousHash, EntryHash);
}
