using MonitorConsole.Audit.Storage;
using System.Text;

namespace MonitorConsole.Audit.Chain;

/// <summary>
/// Checks rows fed in sequence order: each row's own hashes (in parallel, they are independent) and then its link to
/// the row before. Shared by database verification and offline export verification, so both apply the same rules.
/// </summary>
public sealed class ChainChecker
{
    private const int ParallelThreshold = 256;
    private readonly int _maxProblems;
    private readonly List<InvalidEntry> _invalid = [];
    private readonly List<ChainBreak> _breaks = [];
    private readonly byte[] _previousHash = new byte[HashSpec.HashHexLength];
    private readonly byte[] _previousTimestamp = new byte[HashSpec.TimestampFormat.Length];
    private long? _previousSequence;
    private bool _previousHashIsValid = true;
    private bool _previousTimestampIsValid;
    private readonly bool _ownsErasures;
    private readonly List<ErasedEntry> _erasedList = [];
    private long _erasedCount;
    private bool _erasuresResolved;

    /// <param name="anchor">The entry before the first one fed (null: the first must be sequence 1 after genesis).</param>
    /// <param name="anchorTimestamp">That entry's stored timestamp, so the first entry fed may not be dated before it.</param>
    /// <param name="erasures">Where erased rows and ERASURE entries are gathered; shared by the checkers of one file,
    /// whose owner resolves it. Null: the checker has its own and resolves it in <see cref="Result"/>.</param>
    public ChainChecker(int maxProblems, (long Sequence, string EntryHash)? anchor = null, string? anchorTimestamp = null,
        ErasureTracker? erasures = null)
    {
        _maxProblems = maxProblems;
        _ownsErasures = erasures is null;
        Erasures = erasures ?? new ErasureTracker();
        var (sequence, hash) = anchor ?? (0L, HashSpec.GenesisHash);
        _previousSequence = sequence;
        SetPrevious(Encoding.UTF8.GetBytes(hash));
        if (anchorTimestamp is not null) SetPreviousTimestamp(Encoding.UTF8.GetBytes(anchorTimestamp));
    }

    public ErasureTracker Erasures { get; }

    public long Total { get; private set; }
    public long Verified { get; private set; }
    public long InvalidCount { get; private set; }
    public long BreakCount { get; private set; }
    public long? FirstSequence { get; private set; }
    public long? LastSequence => Total == 0 ? null : _previousSequence;
    public string? LastEntryHash => Total == 0 || !_previousHashIsValid ? null : Encoding.ASCII.GetString(_previousHash);

    public void Check(RawEntry row) => Check([row]);

    public void Check(IReadOnlyList<RawEntry> rows)
    {
        using var batch = new ChainRowBatch(Math.Max(rows.Count, 1));
        foreach (var row in rows) batch.Add(row);
        Check(batch);
    }


    public void Check(ChainRowBatch batch)
    {
        var own = new OwnCheck[batch.Count];
        if (batch.Count >= ParallelThreshold)
            Parallel.For(0, batch.Count, i => own[i] = CheckOwn(batch, i));
        else
            for (var i = 0; i < batch.Count; i++) own[i] = CheckOwn(batch, i);

        for (var i = 0; i < batch.Count; i++) Link(batch, i, own[i]);
    }

    /// <summary>
    /// A row of the table that the sequence-ordered pass does not see (e.g. below sequence 1): counted as read and as
    /// a problem, so that every row of the table is accounted for.
    /// </summary>
    public void ReportUnchainedRow(InvalidEntry problem)
    {
        Total++;
        AddInvalid(problem);
    }

    /// <summary>Rows outside the pass beyond what the problem list holds: counted, not listed.</summary>
    public void CountUnchainedRows(long count)
    {
        Total += count;
        InvalidCount += count;
    }

    /// <summary>A further problem with a row the pass has already counted (e.g. its id is also another row's).</summary>
    public void Report(InvalidEntry problem) => AddInvalid(problem);

    /// <summary>
    /// Matches erased rows with the ERASURE entries seen: an erased row with no later ERASURE entry naming it becomes a
    /// problem of this checker. Runs once; <see cref="Result"/> runs it when the checker owns its tracker.
    /// </summary>
    public void ResolveErasures()
    {
        if (_erasuresResolved) return;
        _erasuresResolved = true;
        var resolution = Erasures.Resolve();
        _erasedCount += resolution.Erased.Count;
        foreach (var erased in resolution.Erased)
            if (_erasedList.Count < _maxProblems) _erasedList.Add(erased);
        foreach (var (problem, countedVerified) in resolution.Problems)
        {
            if (countedVerified) Verified--;
            AddInvalid(problem);
        }
    }

    public VerificationResult Result(double durationMs)
    {
        if (_ownsErasures) ResolveErasures();
        return new VerificationResult(
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
        DurationMs: Math.Round(durationMs, 3))
        {
            ErasedCount = _erasedCount,
            ErasedEntries = _erasedList,
        };
    }

    private readonly record struct OwnCheck(string? Malformed, bool DataHashOk, bool EntryHashOk, bool DataErased = false);

    private static OwnCheck CheckOwn(ChainRowBatch b, int i)
    {
        var malformed = RowFormat.Malformation(b, i);
        if (malformed is not null) return new OwnCheck(malformed, true, true);
        Span<byte> hex = stackalloc byte[HashSpec.HashHexLength];
        // An erased data text cannot be hashed: whether its erasure is recorded is settled once the pass is over.
        var erased = b.Get(i, Col.Data).IsEmpty;
        var dataOk = erased;
        if (!erased)
        {
            HashSpec.DataHash(b.Get(i, Col.Data), hex);
            dataOk = hex.SequenceEqual(b.Get(i, Col.DataHash));
        }
        HashSpec.EntryHash(Fields(b, i), hex);
        return new OwnCheck(null, dataOk, hex.SequenceEqual(b.Get(i, Col.EntryHash)), erased);
    }

    private static EntryFields Fields(ChainRowBatch b, int i) => new(
        b.Sequence(i)!.Value, b.Get(i, Col.EntryId), b.Get(i, Col.Timestamp), b.Get(i, Col.Action), b.Get(i, Col.Actor),
        b.Get(i, Col.ResourceType), b.Get(i, Col.ResourceId), b.IsNull(i, Col.ResourceId), b.Get(i, Col.DataHash),
        b.Get(i, Col.Details), b.IsNull(i, Col.Details), b.Get(i, Col.PreviousHash));

    private void Link(ChainRowBatch b, int i, OwnCheck own)
    {
        Total++;
        FirstSequence ??= b.Sequence(i);
        var problemsBefore = InvalidCount + BreakCount;
        // Decoded only for rows with a problem: most rows have none.
        var entryId = own.Malformed is null && own.DataHashOk && own.EntryHashOk && LinksCleanly(b, i)
            ? ""
            : b.GetString(i, Col.EntryId) ?? "";
        var sequence = b.Sequence(i) ?? 0;

        if (own.Malformed is not null)
            AddInvalid(new InvalidEntry(entryId, sequence, InvalidEntryReasons.MalformedRow, own.Malformed));
        if (!own.DataHashOk)
            AddInvalid(new InvalidEntry(entryId, sequence, InvalidEntryReasons.DataHashMismatch,
                $"data hashes to {HashSpec.ComputeDataHash(b.Get(i, Col.Data))}, stored data_hash is {b.GetString(i, Col.DataHash)}"));
        if (!own.EntryHashOk)
        {
            Span<byte> hex = stackalloc byte[HashSpec.HashHexLength];
            HashSpec.EntryHash(Fields(b, i), hex);
            AddInvalid(new InvalidEntry(entryId, sequence, InvalidEntryReasons.EntryHashMismatch,
                $"fields hash to {Encoding.ASCII.GetString(hex)}, stored entry_hash is {b.GetString(i, Col.EntryHash)}"));
        }

        if (b.Sequence(i) is { } seq && _previousSequence is { } prev && seq != prev + 1)
        {
            var detail = seq > prev + 1
                ? $"sequence jumps from {prev} to {seq}: {seq - prev - 1} entr{(seq - prev - 1 == 1 ? "y is" : "ies are")} missing"
                : $"sequence {seq} follows {prev}: entries are out of order or duplicated";
            AddBreak(new ChainBreak(seq, entryId, ChainBreakKinds.SequenceGap, null, null, prev + 1, detail));
        }
        var previousHash = b.Get(i, Col.PreviousHash);
        if (!_previousHashIsValid || !previousHash.SequenceEqual(_previousHash))
        {
            AddBreak(new ChainBreak(sequence, entryId, ChainBreakKinds.PreviousHashMismatch,
                _previousHashIsValid ? Encoding.ASCII.GetString(_previousHash) : null, b.GetString(i, Col.PreviousHash), null,
                $"previous_hash does not match the entry_hash of the entry before (sequence {_previousSequence})"));
        }

        // The fixed-width timestamp text sorts as the time does, so bytes compare as times; time ranges rely on it.
        var timestamp = b.Get(i, Col.Timestamp);
        var timestampIsValid = own.Malformed is null || timestamp.Length == _previousTimestamp.Length;
        if (_previousTimestampIsValid && timestampIsValid && timestamp.SequenceCompareTo(_previousTimestamp) < 0)
        {
            AddBreak(new ChainBreak(sequence, entryId, ChainBreakKinds.TimestampRegression, null, null, null,
                $"dated {b.GetString(i, Col.Timestamp)}, before the entry before it ({Encoding.ASCII.GetString(_previousTimestamp)}): time never goes backwards along the chain"));
        }

        var verified = InvalidCount + BreakCount == problemsBefore;
        if (verified) Verified++;
        if (own.Malformed is null) TrackErasure(b, i, sequence, own, verified);
        _previousSequence = b.Sequence(i) ?? _previousSequence + 1;
        SetPrevious(b.Get(i, Col.EntryHash));
        if (timestampIsValid) SetPreviousTimestamp(timestamp);
    }

    private void TrackErasure(ChainRowBatch b, int i, long sequence, OwnCheck own, bool verified)
    {
        if (own.DataErased)
        {
            // A row whose entry hash fails is reported already; only an intact row can have been erased.
            if (own.EntryHashOk)
                Erasures.RowErased(sequence, b.GetString(i, Col.EntryId) ?? "", b.GetString(i, Col.EntryHash) ?? "",
                    b.GetString(i, Col.Action) ?? "", verified);
            return;
        }
        if (own.DataHashOk && b.Get(i, Col.Action).SequenceEqual("ERASURE"u8)
            && ErasureRecord.TryRead(b.Get(i, Col.Data), out var erasedSequence, out var erasedHash))
            Erasures.Record(erasedSequence, erasedHash, sequence);
    }

    private bool LinksCleanly(ChainRowBatch b, int i) =>
        b.Sequence(i) == _previousSequence + 1 && _previousHashIsValid && b.Get(i, Col.PreviousHash).SequenceEqual(_previousHash)
        && (!_previousTimestampIsValid || b.Get(i, Col.Timestamp).SequenceCompareTo(_previousTimestamp) >= 0);

    private void SetPreviousTimestamp(ReadOnlySpan<byte> timestamp)
    {
        _previousTimestampIsValid = timestamp.Length == _previousTimestamp.Length;
        if (_previousTimestampIsValid) timestamp.CopyTo(_previousTimestamp);
    }

    private void SetPrevious(ReadOnlySpan<byte> hash)
    {
        _previousHashIsValid = hash.Length == HashSpec.HashHexLength;
        if (_previousHashIsValid) hash.CopyTo(_previousHash);
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

/// <summary>The shape a stored row must have before its hashes mean anything.</summary>
internal static class RowFormat
{
    public static string? Malformation(ChainRowBatch b, int i)
    {
        if (b.Sequence(i) is not > 0) return "sequence is missing or not a positive integer";
        if (!IsLowercaseUuid(b.Get(i, Col.EntryId))) return "entry_id is not a lowercase UUID";
        if (!IsTimestamp(b.Get(i, Col.Timestamp))) return $"timestamp is not in the form {HashSpec.TimestampFormat}";
        if (b.Get(i, Col.Action).IsEmpty) return "action is empty";
        if (b.Get(i, Col.Actor).IsEmpty) return "actor is empty";
        if (b.Get(i, Col.ResourceType).IsEmpty) return "resource_type is empty";
        if (b.IsNull(i, Col.Data)) return "data is missing";
        if (!HashSpec.IsHashHex(b.Get(i, Col.DataHash))) return "data_hash is not 64 lowercase hex digits";
        if (!HashSpec.IsHashHex(b.Get(i, Col.PreviousHash))) return "previous_hash is not 64 lowercase hex digits";
        if (!HashSpec.IsHashHex(b.Get(i, Col.EntryHash))) return "entry_hash is not 64 lowercase hex digits";
        return null;
    }

    private static bool IsLowercaseUuid(ReadOnlySpan<byte> s)
    {
        if (s.Length != 36) return false;
        for (var i = 0; i < 36; i++)
        {
            var c = s[i];
            var ok = i is 8 or 13 or 18 or 23
                ? c == (byte)'-'
                : c is (>= (byte)'0' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'f');
            if (!ok) return false;
        }
        return true;
    }

    /// <summary>yyyy-MM-ddTHH:mm:ss.ffffffZ with real calendar values, checked on the bytes (no parsing, no allocation).</summary>
    private static bool IsTimestamp(ReadOnlySpan<byte> s)
    {
        if (s.Length != 27 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != '.' || s[26] != 'Z')
            return false;
        foreach (var i in DigitPositions)
            if (!char.IsAsciiDigit((char)s[i])) return false;
        var year = Number(s, 0, 4);
        var month = Number(s, 5, 2);
        var day = Number(s, 8, 2);
        return year >= 1 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month)
               && Number(s, 11, 2) < 24 && Number(s, 14, 2) < 60 && Number(s, 17, 2) < 60;
    }

    private static int Number(ReadOnlySpan<byte> s, int at, int length)
    {
        var value = 0;
        for (var k = at; k < at + length; k++) value = value * 10 + (s[k] - '0');
        return value;
    }

    private static readonly int[] DigitPositions = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 22, 23, 24, 25];
}
