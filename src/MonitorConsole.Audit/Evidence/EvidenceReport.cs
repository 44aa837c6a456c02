namespace MonitorConsole.Audit.Evidence;

/// <summary>
/// What an evidence pack's human-readable report says: who made it and when, what it covers, the checkpoint it is
/// proven against, what was checked and found, and the files it holds. Rendered as HTML (always) and PDF.
/// </summary>
public sealed record EvidenceReport(
    string MadeBy,
    DateTime MadeAtUtc,
    EvidenceScope Scope,
    EvidenceCounts Counts,
    EvidenceCheckpoint Checkpoint,
    IReadOnlyList<EvidenceCheck> Checks,
    IReadOnlyList<EvidenceEntryRow> Entries,
    IReadOnlyList<EvidenceFile> Files)
{
    /// <summary>How many entries the report lists at most; the rest are in entries.json.</summary>
    public const int MaxListedEntries = 1000;

    /// <summary>True when every check passed (a check that could not be made is not a failure).</summary>
    public bool AllPassed => Checks.All(c => c.Outcome != EvidenceCheckOutcome.Failed);
}

/// <summary>Which entries the pack holds, as the person asked, in words ("Actor" → "alice").</summary>
/// <param name="Filters">Each set filter as a label and its value; empty for the whole chain.</param>
/// <param name="ThroughSequence">The chain's head when the pack was made: entries after it are not in scope.</param>
public sealed record EvidenceScope(string Kind, IReadOnlyList<EvidenceScopeItem> Filters, long ThroughSequence, bool IncludesRolledBack);

public sealed record EvidenceScopeItem(string Label, string Value);

/// <param name="EntriesInScope">Entries the filter picked.</param>
/// <param name="ErasureRecordsAdded">ERASURE entries added although the filter did not pick them: they record the erasure of an entry in scope, and offline verification needs them.</param>
/// <param name="ErasedEntries">Entries in the pack whose data text was erased.</param>
/// <param name="RolledBackEntries">Entries in the pack that a rollback undid.</param>
public sealed record EvidenceCounts(
    long EntriesInScope, long ErasureRecordsAdded, long ErasedEntries, long RolledBackEntries,
    long? FirstSequence, long? LastSequence, long ChainSize);

/// <summary>The signed checkpoint every inclusion proof in the pack leads to.</summary>
/// <param name="MadeForThisPack">True when no stored checkpoint covered the entries, so one was made with the pack.</param>
/// <param name="Anchor">One line on the RFC 3161 time anchor: anchored at when by whom, or why not.</param>
public sealed record EvidenceCheckpoint(
    long TreeSize, string Timestamp, string MerkleRoot, string EntryHash, string KeyId, bool MadeForThisPack, string Anchor);

public enum EvidenceCheckOutcome
{
    Passed,
    Failed,

    /// <summary>Could not be checked (no trusted key or TSA certificate given, no token): neither proof nor disproof.</summary>
    NotChecked,
}

/// <summary>One check and what it found, in a sentence for people.</summary>
public sealed record EvidenceCheck(string Title, EvidenceCheckOutcome Outcome, string Detail);

/// <summary>One entry as the report lists it (at most <see cref="EvidenceReport.MaxListedEntries"/>).</summary>
public sealed record EvidenceEntryRow(
    long Sequence, string Timestamp, string Action, string Actor, string Resource, bool DataErased, bool RolledBack, string EntryHash);

/// <summary>A file of the pack with its size and SHA-256 (lowercase hex), as SHA256SUMS lists it.</summary>
public sealed record EvidenceFile(string Name, long Bytes, string Sha256, string Purpose);
