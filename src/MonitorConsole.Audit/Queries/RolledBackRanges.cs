using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using MonitorConsole.Audit.Storage;

namespace MonitorConsole.Audit.Queries;

/// <summary>An inclusive range of sequences that a ROLLBACK entry rolled back.</summary>
public readonly record struct SequenceRange(long From, long To)
{
    public bool Contains(long sequence) => sequence >= From && sequence <= To;
}

/// <summary>
/// The ranges rolled back by ROLLBACK entries: each rolls back everything after its target up to itself. Nothing is
/// ever deleted, so this is derived from the chain on every read (ROLLBACK entries are few and indexed by action).
/// Overlapping rollbacks (a later one reaching back past an earlier one) are merged, so no entry is counted twice.
/// </summary>
public sealed class RolledBackRanges
{
    public static readonly RolledBackRanges None = new([]);

    public RolledBackRanges(IEnumerable<SequenceRange> ranges) => Ranges = Merge(ranges);

    /// <summary>Sorted, disjoint and not adjacent.</summary>
    public IReadOnlyList<SequenceRange> Ranges { get; }

    /// <summary>How many entries are rolled back, each counted once.</summary>
    public long Count => Ranges.Sum(r => r.To - r.From + 1);

    private static List<SequenceRange> Merge(IEnumerable<SequenceRange> ranges)
    {
        var merged = new List<SequenceRange>();
        foreach (var range in ranges.Where(r => r.From <= r.To).OrderBy(r => r.From))
        {
            if (merged.Count > 0 && range.From <= merged[^1].To + 1)
                merged[^1] = merged[^1] with { To = Math.Max(merged[^1].To, range.To) };
            else
                merged.Add(range);
        }
        return merged;
    }

    public bool Contains(long sequence)
    {
        foreach (var r in Ranges)
            if (r.Contains(sequence)) return true;
        return false;
    }

    public static async Task<RolledBackRanges> LoadAsync(
        DbConnection connection, DbTransaction? transaction, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = LedgerSql.Of(connection).Rollbacks;
        EntryRows.AddParameter(command, "@action", LedgerVocabulary.RollbackAction);
        var ranges = new List<SequenceRange>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var rollbackSequence = reader.GetInt64(0);
            // Only the chain (sequence 1 and up) can be rolled back, whatever a target in a planted row says.
            if (TryReadTargetSequence(reader.GetString(1), out var target))
                ranges.Add(new SequenceRange(Math.Max(target, 0) + 1, rollbackSequence - 1));
        }
        return new RolledBackRanges(ranges);
    }

    public static bool TryReadTargetSequence(string data, out long target)
    {
        target = 0;
        try
        {
            using var doc = JsonDocument.Parse(data);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("target_sequence", out var t)
                && t.TryGetInt64(out target);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>A SQL condition that leaves out the rolled-back ranges ("1=1" when there are none).</summary>
    internal string ExcludeSql(SqlParameters parameters)
    {
        if (Ranges.Count == 0) return "1=1";
        var sql = new StringBuilder();
        foreach (var range in Ranges)
        {
            if (sql.Length > 0) sql.Append(" AND ");
            sql.Append(CultureInfo.InvariantCulture,
                $"NOT (sequence BETWEEN {parameters.Add(range.From)} AND {parameters.Add(range.To)})");
        }
        return sql.ToString();
    }
}
