using System.Globalization;

namespace MonitorConsole.Audit.Evidence;

/// <summary>How the verdict line looks: the renderers pick a colour from it, and always print the words too.</summary>
internal enum EvidenceVerdictKind
{
    Passed,
    Failed,
    NotAllChecked,
}

/// <summary>
/// The report's wording, shared by the HTML and PDF renderers so both say exactly the same thing.
/// </summary>
internal static class EvidenceReportText
{
    public const string Title = "Audit evidence pack";

    public const string ClosingParagraph =
        "To check this pack yourself, without MonitorConsole, follow VERIFY.md in the same folder: it explains how to " +
        "recompute each entry's hashes from entries.json, fold each inclusion proof in inclusion-proofs.jsonl up to " +
        "the checkpoint's Merkle root, verify the checkpoint's signature and time anchor with openssl, and compare every " +
        "file with SHA256SUMS. This report is a summary, vouched for only by the zip's SHA-256 in the ledger's " +
        "EVIDENCE_PACK_MADE record; the files are the evidence.";

    public static readonly string[] CheckHeaders = ["Check", "Outcome", "Detail"];

    public static readonly string[] EntryHeaders = ["Seq.", "Time", "Action", "Actor", "Resource", "Flags", "Entry hash"];

    public static readonly string[] FileHeaders = ["File", "Bytes", "SHA-256", "Purpose"];

    public static EvidenceVerdictKind VerdictKind(EvidenceReport report)
    {
        if (report.Checks.Any(c => c.Outcome == EvidenceCheckOutcome.Failed))
            return EvidenceVerdictKind.Failed;
        // No checks at all proves nothing, so it reads like checks that could not be made.
        if (report.Checks.Count == 0 || report.Checks.Any(c => c.Outcome == EvidenceCheckOutcome.NotChecked))
            return EvidenceVerdictKind.NotAllChecked;
        return EvidenceVerdictKind.Passed;
    }

    public static string Verdict(EvidenceReport report)
    {
        var failed = report.Checks.Count(c => c.Outcome == EvidenceCheckOutcome.Failed);
        var notChecked = report.Checks.Count(c => c.Outcome == EvidenceCheckOutcome.NotChecked);
        var total = report.Checks.Count;
        return VerdictKind(report) switch
        {
            EvidenceVerdictKind.Failed => $"FAILED: {Number(failed)} of {Plural(total, "check")} failed" +
                (notChecked > 0 ? $" and {Number(notChecked)} could not be checked." : "."),
            EvidenceVerdictKind.NotAllChecked when total == 0 => "NOT CHECKED: no checks were made.",
            EvidenceVerdictKind.NotAllChecked =>
                $"NOT FULLY CHECKED: none failed, but {Number(notChecked)} of {Plural(total, "check")} could not be checked.",
            _ => $"PASSED: all {Plural(total, "check")} passed.",
        };
    }

    public static string OutcomeWord(EvidenceCheckOutcome outcome) => outcome switch
    {
        EvidenceCheckOutcome.Passed => "Passed",
        EvidenceCheckOutcome.Failed => "FAILED",
        _ => "Not checked",
    };

    public static string MadeLine(EvidenceReport report) =>
        $"Made by {report.MadeBy} at {Utc(report.MadeAtUtc)}";

    public static string Utc(DateTime time)
    {
        // An unspecified kind is taken as UTC (the model says UTC); only a local time is converted.
        var utc = time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : time;
        return utc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";
    }

    public static IReadOnlyList<(string Label, string Value)> ScopeLines(EvidenceScope scope)
    {
        var lines = new List<(string, string)> { ("Kind", scope.Kind) };
        if (scope.Filters.Count == 0)
            lines.Add(("Filters", "none (the whole chain)"));
        lines.AddRange(scope.Filters.Select(f => (f.Label, f.Value)));
        lines.Add(("Through", $"entries through sequence {Number(scope.ThroughSequence)}"));
        lines.Add(("Rolled back", scope.IncludesRolledBack
            ? "rolled-back entries are included"
            : "rolled-back entries are not included"));
        return lines;
    }

    public static IReadOnlyList<(string Label, string Value)> CountLines(EvidenceCounts counts) =>
    [
        ("Entries in scope", Number(counts.EntriesInScope)),
        ("Erasure records added", Number(counts.ErasureRecordsAdded)),
        ("Entries with data erased", Number(counts.ErasedEntries)),
        ("Entries rolled back", Number(counts.RolledBackEntries)),
        ("Sequences", counts.FirstSequence is { } first && counts.LastSequence is { } last
            ? $"{Number(first)} to {Number(last)}"
            : "none"),
        ("Chain size when made", Number(counts.ChainSize)),
    ];

    public static IReadOnlyList<(string Label, string Value, bool IsHash)> CheckpointLines(EvidenceCheckpoint checkpoint)
    {
        var lines = new List<(string, string, bool)>
        {
            ("Tree size", Number(checkpoint.TreeSize), false),
            ("Time", checkpoint.Timestamp, false),
            ("Key id", checkpoint.KeyId, true),
            ("Merkle root", checkpoint.MerkleRoot, true),
            ("Head entry hash", checkpoint.EntryHash, true),
            ("Time anchor", checkpoint.Anchor, false),
        };
        if (checkpoint.MadeForThisPack)
            lines.Add(("Made", "made for this pack (no stored checkpoint covered these entries)", false));
        return lines;
    }

    /// <summary>The rows the report lists: never more than <see cref="EvidenceReport.MaxListedEntries"/>.</summary>
    public static IReadOnlyList<EvidenceEntryRow> ListedEntries(EvidenceReport report) =>
        report.Entries.Count <= EvidenceReport.MaxListedEntries
            ? report.Entries
            : report.Entries.Take(EvidenceReport.MaxListedEntries).ToList();

    /// <summary>Null when every entry in the pack is listed.</summary>
    public static string? TruncationNote(EvidenceReport report)
    {
        var listed = ListedEntries(report).Count;
        var total = report.Counts.EntriesInScope + report.Counts.ErasureRecordsAdded;
        return total > listed
            ? $"The first {Number(listed)} of {Number(total)} entries are listed; all are in entries.json."
            : null;
    }

    public static string Flags(EvidenceEntryRow row) => (row.DataErased, row.RolledBack) switch
    {
        (true, true) => "data erased, rolled back",
        (true, false) => "data erased",
        (false, true) => "rolled back",
        _ => "",
    };

    /// <summary>
    /// An ISO 8601 time split after its "T" ("2026-11-30T", "08:01:00.000000Z"), so a narrow column breaks it there
    /// rather than at a hyphen of the date; anything else whole, with an empty second part.
    /// </summary>
    public static (string Date, string Time) TimestampParts(string timestamp)
    {
        var t = timestamp.IndexOf('T', StringComparison.Ordinal);
        return t == 10 && timestamp.Length > 11 && char.IsAsciiDigit(timestamp[0]) && timestamp[4] == '-'
            ? (timestamp[..11], timestamp[11..])
            : (timestamp, "");
    }

    public static string ShortHash(string hash) => hash.Length > 16 ? hash[..16] : hash;

    public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Plural(long count, string noun) => $"{Number(count)} {noun}{(count == 1 ? "" : "s")}";
}
