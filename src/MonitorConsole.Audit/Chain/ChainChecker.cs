namespace MonitorConsole.Audit.Chain;

/// <summary>A row as read from storage or an export, before any trust is placed in it.</summary>
public sealed record RawEntry(
    long? Sequence,
    string? EntryId,
    string? Timestamp,
    string? Action,
    string? Actor,
    string? ResourceType,
    string? ResourceId,
    string? Data,
    string? Details,
    string? DataHash,
    string? PreviousHash,
    string? EntryHash);

/// <summary>
/// Checks rows fed in sequence order: each row's own hashes and its link to the row before. Shared by database
/// verification and offline export verification so both apply exactly the same rules.
/// </summary>
public sealed class ChainChecker
{
    private readonly int _maxProblems;
    private readonly List<InvalidEntry> _invalid = [];
    private readonly List<ChainBreak> _breaks = [];
    private long? _previousSequence;
    private string? _previousHash;

    /// <param name="anchor">The entry before the first one fed (null: the first must be sequence 1 after genesis).</param>
    public ChainChecker(int maxProblems, (long Sequence, string EntryHash)? anchor = null)
    {
        _maxProblems = maxProblems;
        (_previousSequence, _previousHash) = anchor is { } a ? (a.Sequence, a.EntryHash) : (0L, HashSpec.GenesisHash);
    }

    public long Total { get; private set; }
    public long Verified { get; private set; }
    public long InvalidCount { get; private set; }
    public long BreakCount { get; private set; }
    public long? FirstSequence { get; private set; }
    public long? LastSequence => Total == 0 ? null : _previousSequence;
    public string? LastEntryHash => Total == 0 ? null : _previousHash;

    public void Check(RawEntry row)
    {
        Total++;
        FirstSequence ??= row.Sequence;
        var problemsBefore = InvalidCount + BreakCount;
        var entryId = row.EntryId ?? "";
        var sequence = row.Sequence ?? 0;

        var malformed = Malformation(row);
        if (malformed is not null)
        {
            AddInvalid(new InvalidEntry(entryId, sequence, InvalidEntryReasons.MalformedRow, malformed));
        }
        else
        {
            var dataHash = HashSpec.ComputeDataHash(row.Data!);
            if (dataHash != row.DataHash)
                AddInvalid(new InvalidEntry(entryId, sequence, InvalidEntryReasons.DataHashMismatch,
                    $"data hashes to {dataHash}, stored data_hash is {row.DataHash}"));
            var entryHash = HashSpec.ComputeEntryHash(sequence, entryId, row.Timestamp!, row.Action!, row.Actor!,
                row.ResourceType!, row.ResourceId, row.DataHash!, row.Details, row.PreviousHash!);
            if (entryHash != row.EntryHash)
                AddInvalid(new InvalidEntry(entryId, sequence, InvalidEntryReasons.EntryHashMismatch,
                    $"fields hash to {entryHash}, stored entry_hash is {row.EntryHash}"));
        }

        if (row.Sequence is { } seq && _previousSequence is { } prev && seq != prev + 1)
        {
            var detail = seq > prev + 1
                ? $"sequence jumps from {prev} to {seq}: {seq - prev - 1} entr{(seq - prev - 1 == 1 ? "y is" : "ies are")} missing"
                : $"sequence {seq} follows {prev}: entries are out of order or duplicated";
            AddBreak(new ChainBreak(seq, entryId, ChainBreakKinds.SequenceGap, null, null, prev + 1, detail));
        }
        if (row.PreviousHash != _previousHash)
        {
            AddBreak(new ChainBreak(sequence, entryId, ChainBreakKinds.PreviousHashMismatch, _previousHash,
                row.PreviousHash, null,
                $"previous_hash does not match the entry_hash of the entry before (sequence {_previousSequence})"));
        }

        if (InvalidCount + BreakCount == problemsBefore) Verified++;
        _previousSequence = row.Sequence ?? _previousSequence + 1;
        _previousHash = row.EntryHash;
    }

    public VerificationResult Result(double durationMs) => new(
        Valid: InvalidCount == 0 && BreakCount == 0,
        TotalEntries: Total,
        VerifiedEntries: Verified,
        InvalidEntries: _invalid,
        ChainBreaks: _breaks,
        InvalidEntryCount: InvalidCount,
        ChainBreakCount: BreakCount,
        ProblemsTruncated: InvalidCount + BreakCount > _invalid.Count + _breaks.Count,
        FirstSequence: FirstSequence,
        LastSequence: LastSequence,
        LastEntryHash: LastEntryHash,
        DurationMs: Math.Round(durationMs, 3));

    private static string? Malformation(RawEntry row)
    {
        if (row.Sequence is not > 0) return "sequence is missing or not a positive integer";
        if (row.EntryId is null || !Guid.TryParseExact(row.EntryId, "D", out _) || row.EntryId != row.EntryId.ToLowerInvariant())
            return "entry_id is not a lowercase UUID";
        if (row.Timestamp is null || !HashSpec.TryParseTimestamp(row.Timestamp, out _))
            return $"timestamp is not in the form {HashSpec.TimestampFormat}";
        if (string.IsNullOrEmpty(row.Action)) return "action is empty";
        if (string.IsNullOrEmpty(row.Actor)) return "actor is empty";
        if (string.IsNullOrEmpty(row.ResourceType)) return "resource_type is empty";
        if (row.Data is null) return "data is missing";
        if (!HashSpec.IsHashHex(row.DataHash)) return "data_hash is not 64 lowercase hex digits";
        if (!HashSpec.IsHashHex(row.PreviousHash)) return "previous_hash is not 64 lowercase hex digits";
        if (!HashSpec.IsHashHex(row.EntryHash)) return "entry_hash is not 64 lowercase hex digits";
        return null;
    }

    private void AddInvalid(InvalidEntry problem)
    {
        InvalidCount++;
        if (_invalid.Count + _breaks.Count < _maxProblems) _invalid.Add(problem);
    }

    private void AddBreak(ChainBreak problem)
    {
        BreakCount++;
        if (_invalid.Count + _breaks.Count < _maxProblems) _breaks.Add(problem);
    }
}
