using System.Data.Common;

namespace MonitorConsole.Audit.Storage;

/// <summary>An inclusive range of sequences; empty when From &gt; To.</summary>
public readonly record struct SequenceBounds(long From, long To)
{
    public static readonly SequenceBounds All = new(long.MinValue, long.MaxValue);
    public bool IsEmpty => From > To;
}

/// <summary>
/// Maps a time range onto a sequence range by binary search over the primary key. The writer never lets timestamps go
/// backwards along the chain, so no timestamp index is needed: that index would cost every append for a lookup that
/// takes about twenty primary-key probes.
/// </summary>
internal static class TimeIndex
{
    public static async Task<SequenceBounds> BoundsAsync(
        DbConnection connection, DbTransaction? transaction, DateTime? from, DateTime? to, CancellationToken ct)
    {
        if (from is null && to is null) return SequenceBounds.All;
        var (min, max) = await MinMaxAsync(connection, transaction, ct);
        if (max < min) return new SequenceBounds(1, 0);
        var lower = from is { } f ? await FirstAtOrAfterAsync(connection, transaction, HashSpec.FormatTimestamp(f), false, min, max, ct) : min;
        var upper = to is { } t ? await FirstAtOrAfterAsync(connection, transaction, HashSpec.FormatTimestamp(t), true, min, max, ct) - 1 : max;
        return new SequenceBounds(lower, upper);
    }

    /// <summary>The smallest sequence whose timestamp is ≥ (or &gt; when <paramref name="strictlyAfter"/>) the time.</summary>
    private static async Task<long> FirstAtOrAfterAsync(DbConnection connection, DbTransaction? transaction, string time,
        bool strictlyAfter, long min, long max, CancellationToken ct)
    {
        long lo = min, hi = max + 1;
        while (lo < hi)
        {
            var mid = lo + (hi - lo) / 2;
            var (sequence, timestamp) = await AtOrAfterAsync(connection, transaction, mid, ct);
            if (sequence is null) { hi = mid; continue; }
            var cmp = string.CompareOrdinal(timestamp, time);
            var goesRight = strictlyAfter ? cmp <= 0 : cmp < 0;
            if (goesRight) lo = sequence.Value + 1;
            else hi = mid;
        }
        return lo;
    }

    private static async Task<(long? Sequence, string? Timestamp)> AtOrAfterAsync(
        DbConnection connection, DbTransaction? transaction, long sequence, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = LedgerSql.Of(connection).AtOrAfter;
        EntryRows.AddParameter(command, "@s", sequence);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? (reader.GetInt64(0), reader.GetString(1)) : (null, null);
    }

    internal static async Task<(long Min, long Max)> MinMaxAsync(DbConnection connection, DbTransaction? transaction, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        // The chain is sequences 1..head; planted rows below 1 must not move a time range (verification reports them).
        command.CommandText = LedgerSql.Of(connection).MinMax;
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return reader.IsDBNull(0) ? (1, 0) : (reader.GetInt64(0), reader.GetInt64(1));
    }
}
