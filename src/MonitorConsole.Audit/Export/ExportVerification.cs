using System.Text.Json.Serialization;
using MonitorConsole.Audit.Chain;

namespace MonitorConsole.Audit.Export;

/// <summary>How an export file is checked. The caller chooses; nothing in the file can change it.</summary>
public enum ExportCheckMode
{
    /// <summary>
    /// The file must hold the complete chain: from sequence 1 (previous_hash 64 zeros), contiguous, every link and
    /// every hash holding. Anything else fails.
    /// </summary>
    CompleteChain,

    /// <summary>
    /// Each entry on its own: its data_hash and entry_hash hold, sequences strictly increase and timestamps never go
    /// back. Links are not checked and completeness is not proven.
    /// </summary>
    Trail,
}

/// <summary>What an offline check concluded (the CLI maps each to an exit code).</summary>
public static class ExportOutcomes
{
    /// <summary>Complete-chain check: the file holds the whole chain and every hash and link holds.</summary>
    public const string CompleteChain = "complete_chain";

    /// <summary>Complete-chain check: the entries in the file show no tampering, but the file is not the whole chain.</summary>
    public const string Incomplete = "incomplete";

    /// <summary>Either check: an entry fails its hashes, is malformed, or is out of place.</summary>
    public const string Tampered = "tampered";

    /// <summary>Trail check: every entry holds on its own; completeness and links were not proven.</summary>
    public const string EntriesValid = "entries_valid";
}

/// <summary>Whether a problem means the file was altered, or only that it does not hold the whole chain.</summary>
public static class ExportProblemCategories
{
    public const string Tampering = "tampering";
    public const string Incomplete = "incomplete";
}

/// <summary>Kinds of problems the export check adds to those of <see cref="ChainChecker"/>.</summary>
public static class ExportProblemKinds
{
    public const string NoEntries = "no_entries";
    public const string NotFromGenesis = "not_from_genesis";
    public const string EntriesMissing = "entries_missing";
    public const string ClaimsTrail = "claims_trail";
    public const string SequenceNotIncreasing = "sequence_not_increasing";
    public const string TimestampGoesBack = "timestamp_goes_back";
}

/// <summary>
/// One problem found in an export. <see cref="Kind"/> is an <see cref="ExportProblemKinds"/> value or a reason or
/// kind of <see cref="ChainChecker"/> (data_hash_mismatch, previous_hash_mismatch, ...).
/// </summary>
public sealed record ExportProblem(string Category, string Kind, long? Sequence, string? EntryId, string Detail);

/// <summary>What offline verification of an export found.</summary>
/// <param name="Format">json or csv (read from the file's first byte).</param>
/// <param name="Mode">chain or trail: the check that was run, as the caller asked.</param>
/// <param name="ClaimedScope">What the file says it is (chain, trail, or null when it does not say); used only to
/// phrase messages.</param>
/// <param name="Complete">True only when the complete-chain check proved the file holds the whole chain.</param>
/// <param name="VerifiedEntries">Entries with no problem of their own (hashes, shape, and in a chain check their link
/// to the entry before them in the file).</param>
/// <param name="Problems">Tampering and completeness problems in file order (file-level ones first), at most the
/// maximum asked for; the counts are exact.</param>
/// <param name="Summary">One line for people.</param>
/// <param name="Note">What the check could not show, or what to try instead.</param>
/// <param name="Result">The hash and link findings, as <see cref="ChainChecker"/> reports them.</param>
public sealed record ExportVerification(
    string Format,
    string Mode,
    string? ClaimedScope,
    string Outcome,
    bool Complete,
    long TotalEntries,
    long VerifiedEntries,
    long? FirstSequence,
    long? LastSequence,
    string? LastEntryHash,
    long TamperingCount,
    long IncompleteCount,
    IReadOnlyList<ExportProblem> Problems,
    bool ProblemsTruncated,
    string Summary,
    string? Note,
    double DurationMs,
    [property: JsonIgnore] VerificationResult Result)
{
    /// <summary>Entries whose data text was erased and recorded by an ERASURE entry in the file (not tampering).</summary>
    public long ErasedCount { get; init; }

    /// <summary>Those entries (at most the problem limit), each with the sequence of the ERASURE entry that records it.</summary>
    public IReadOnlyList<ErasedEntry> ErasedEntries { get; init; } = [];

    public const string ChainMode = "chain";
    public const string TrailMode = "trail";
}
