using System.Globalization;

using MonitorConsole.Audit.Evidence;

namespace MonitorConsole.Audit.Tests.Evidence;

/// <summary>A plausible evidence report for renderer tests; each With* changes one thing.</summary>
internal sealed class EvidenceReportBuilder
{
    private const string Hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private string madeBy = "alice";
    private long extraEntriesInPack;
    private readonly List<EvidenceCheck> checks =
    [
        new("Entry hashes", EvidenceCheckOutcome.Passed, "Every entry's hash matches its content and its predecessor."),
        new("Inclusion proofs", EvidenceCheckOutcome.Passed, "Every entry is in the checkpoint's Merkle tree."),
    ];
    private readonly List<EvidenceEntryRow> entries = [];
    private readonly List<EvidenceFile> files =
    [
        new("entries.json", 52_311, Hash, "The ledger entries in scope."),
        new("checkpoint.json", 912, Hash.Replace('9', 'a'), "The signed checkpoint every proof leads to."),
        new("inclusion-proofs.json", 18_004, Hash.Replace('9', 'b'), "One Merkle inclusion proof per entry."),
        new("VERIFY.md", 4_210, Hash.Replace('9', 'c'), "How to check this pack without MonitorConsole."),
        new("manifest.json", 630, Hash.Replace('9', 'd'), "What the pack holds and how it was made."),
    ];

    public EvidenceReportBuilder()
    {
        WithEntries(3);
    }

    public EvidenceReportBuilder MadeBy(string name)
    {
        madeBy = name;
        return this;
    }

    public EvidenceReportBuilder WithEntries(int count, string actor = "bob", string resource = "model/churn-v2")
    {
        entries.Clear();
        for (var i = 1; i <= count; i++)
        {
            entries.Add(new EvidenceEntryRow(
                i, new DateTime(2026, 11, 30, 8, 0, 0, DateTimeKind.Utc).AddMinutes(i).ToString(HashSpec.TimestampFormat, CultureInfo.InvariantCulture),
                i % 3 == 0 ? "MODEL_APPROVED" : "MODEL_REGISTERED", actor, resource,
                DataErased: i % 7 == 0, RolledBack: i % 11 == 0, EntryHash: Hash[..60] + i.ToString("x4", CultureInfo.InvariantCulture)));
        }
        return this;
    }

    /// <summary>The pack holds this many entries beyond the listed rows (as when more than the maximum are in scope).</summary>
    public EvidenceReportBuilder WithUnlistedEntries(long count)
    {
        extraEntriesInPack = count;
        return this;
    }

    public EvidenceReportBuilder WithCheck(string title, EvidenceCheckOutcome outcome, string detail)
    {
        checks.Add(new EvidenceCheck(title, outcome, detail));
        return this;
    }

    public EvidenceReportBuilder WithFile(string name, long bytes, string sha256, string purpose)
    {
        files.Add(new EvidenceFile(name, bytes, sha256, purpose));
        return this;
    }

    public EvidenceReport Build()
    {
        var listed = entries.Take(EvidenceReport.MaxListedEntries).ToList();
        long? first = entries.Count > 0 ? entries[0].Sequence : null;
        long? last = entries.Count > 0 ? entries[^1].Sequence + extraEntriesInPack : null;
        var inScope = entries.Count + extraEntriesInPack;
        return new EvidenceReport(
            madeBy,
            new DateTime(2026, 12, 1, 14, 5, 9, DateTimeKind.Utc),
            new EvidenceScope("Entries by actor", [new("Actor", "bob"), new("Action", "MODEL_*")], inScope + 10, IncludesRolledBack: true),
            new EvidenceCounts(inScope, 0, entries.Count(e => e.DataErased), entries.Count(e => e.RolledBack), first, last, inScope + 10),
            new EvidenceCheckpoint(inScope + 10, "2026-12-01T14:05:08Z", Hash, Hash.Replace('0', 'e'), "ed25519:4f2a9c0d",
                MadeForThisPack: true, "Anchored at 2026-12-01 14:05:10 UTC by tsa.example.org"),
            checks.ToList(),
            listed,
            files.ToList());
    }
}
