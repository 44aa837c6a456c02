namespace MonitorConsole.Audit.Chain;

/// <summary>An entry whose data text was erased, and the ERASURE entry that records it.</summary>
public sealed record ErasedEntry(long Sequence, string EntryId, long ErasedBySequence);

/// <summary>Why verification finds an erased data text to be tampering.</summary>
public static class ErasureProblems
{
    /// <summary>The data text is gone and no later ERASURE entry names this sequence and entry hash.</summary>
    public const string DataRemoved = "data_removed";

    /// <summary>The data of a ROLLBACK or ERASURE entry is gone: the ledger's own records are never erased.</summary>
    public const string LedgerRecordErased = "ledger_record_erased";
}

/// <summary>
/// Pairs erased data texts with the ERASURE entries that record them. An ERASURE entry comes after the entry it
/// names, so rows are matched when the pass is over: erased rows and ERASURE entries are both few, and only they are
/// held. An erasure counts only when a later ERASURE entry names the row's sequence and its stored entry hash.
/// </summary>
public sealed class ErasureTracker
{
    private readonly Dictionary<long, Erased> _erased = [];
    private readonly Dictionary<long, List<(string EntryHash, long By)>> _records = [];

    private sealed record Erased(string EntryId, string EntryHash, string Action, bool CountedVerified);

    /// <summary>A row whose data text is the erased marker (its entry hash already checked).</summary>
    public void RowErased(long sequence, string entryId, string entryHash, string action, bool countedVerified) =>
        _erased[sequence] = new Erased(entryId, entryHash, action, countedVerified);

    /// <summary>An ERASURE entry at <paramref name="by"/> naming an earlier entry.</summary>
    public void Record(long erasedSequence, string erasedEntryHash, long by)
    {
        if (erasedSequence >= by) return;
        if (!_records.TryGetValue(erasedSequence, out var list)) _records[erasedSequence] = list = [];
        list.Add((erasedEntryHash, by));
    }

    /// <summary>Erased rows not yet matched by an ERASURE entry (to look further for one, past a verified range).</summary>
    public IEnumerable<long> Unmatched => _erased.Keys.Where(s => Match(s, _erased[s]) is null);

    public sealed record Resolution(IReadOnlyList<ErasedEntry> Erased, IReadOnlyList<(InvalidEntry Problem, bool CountedVerified)> Problems);

    public Resolution Resolve()
    {
        var erased = new List<ErasedEntry>();
        var problems = new List<(InvalidEntry, bool)>();
        foreach (var (sequence, row) in _erased.OrderBy(p => p.Key))
        {
            if (row.Action is LedgerVocabulary.RollbackAction or LedgerVocabulary.ErasureAction)
            {
                problems.Add((new InvalidEntry(row.EntryId, sequence, ErasureProblems.LedgerRecordErased,
                    $"the data of this {row.Action} entry is gone: the ledger's own records are never erased"), row.CountedVerified));
                continue;
            }
            if (Match(sequence, row) is { } by) erased.Add(new ErasedEntry(sequence, row.EntryId, by));
            else
                problems.Add((new InvalidEntry(row.EntryId, sequence, ErasureProblems.DataRemoved,
                    $"data is gone but no later ERASURE entry names sequence {sequence} with entry_hash {row.EntryHash}"), row.CountedVerified));
        }
        return new Resolution(erased, problems);
    }

    private long? Match(long sequence, Erased row) =>
        _records.TryGetValue(sequence, out var list)
            ? list.Where(r => string.Equals(r.EntryHash, row.EntryHash, StringComparison.Ordinal)).Select(r => (long?)r.By).FirstOrDefault()
            : null;
}
