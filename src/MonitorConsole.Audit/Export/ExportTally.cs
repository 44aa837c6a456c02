namespace MonitorConsole.Audit.Export;

/// <summary>
/// Which entries an export has written so far. It is brought up to date each time a batch has been flushed to the
/// output, so after a failure it names the entries whose bytes had been handed over, not those still buffered.
/// </summary>
public sealed class ExportTally
{
    public long EntryCount { get; private set; }
    public long? FirstSequence { get; private set; }
    public long? LastSequence { get; private set; }
    public string? LastEntryHash { get; private set; }

    /// <summary>
    /// The ERASURE entries a trail export holds although its filter did not pick them: each records the erasure of an
    /// entry it did pick, without which that entry would not verify offline. Known before the first entry is written.
    /// </summary>
    public IReadOnlyList<long> ErasureRecordsAdded { get; internal set; } = [];

    internal void Flushed(long count, long? firstSequence, long? lastSequence, string? lastEntryHash)
    {
        if (count == 0) return;
        FirstSequence ??= firstSequence;
        EntryCount += count;
        LastSequence = lastSequence;
        LastEntryHash = lastEntryHash;
    }
}
