namespace MonitorConsole.Audit.Chain;

public static class InvalidEntryReasons
{
    public const string DataHashMismatch = "data_hash_mismatch";
    public const string EntryHashMismatch = "entry_hash_mismatch";
    public const string MalformedRow = "malformed_row";

    /// <summary>A row below sequence 1: outside the chain, where no append writes (planted).</summary>
    public const string OutsideChain = "outside_chain";

    /// <summary>A row whose entry_id another row also has.</summary>
    public const string DuplicateEntryId = "duplicate_entry_id";

    /// <summary>A row whose entry_hash another row also has (a copy: a real collision of SHA-256 is not expected).</summary>
    public const string DuplicateEntryHash = "duplicate_entry_hash";
}

public static class ChainBreakKinds
{
    /// <summary>previous_hash differs from the entry_hash of the entry before.</summary>
    public const string PreviousHashMismatch = "previous_hash_mismatch";

    /// <summary>sequence numbers skip (entries removed) or repeat/go back (entries reordered).</summary>
    public const string SequenceGap = "sequence_gap";

    /// <summary>The entry is dated before the entry before it: backdated, or moved.</summary>
    public const string TimestampRegression = "timestamp_regression";
}

public sealed record InvalidEntry(string EntryId, long Sequence, string Reason, string Detail);

public sealed record ChainBreak(
    long Sequence,
    string EntryId,
    string Kind,
    string? ExpectedPreviousHash,
    string? FoundPreviousHash,
    long? ExpectedSequence,
    string Detail);

public sealed record VerificationResult(
    bool Valid,
    long TotalEntries,
    long VerifiedEntries,
    IReadOnlyList<InvalidEntry> InvalidEntries,
    IReadOnlyList<ChainBreak> ChainBreaks,
    long InvalidEntryCount,
    long ChainBreakCount,
    bool ProblemsTruncated,
    long? FirstSequence,
    long? LastSequence,
    string? LastEntryHash,
    double DurationMs)
{
    /// <summary>
    /// Entries whose data text was erased and recorded by a later ERASURE entry: not tampering (their entry hashes and
    /// links still hold). The count is exact; the list holds at most the problem limit.
    /// </summary>
    public long ErasedCount { get; init; }

    public IReadOnlyList<ErasedEntry> ErasedEntries { get; init; } = [];
}

public readonly record struct VerificationProgress(long Verified, long Total);
