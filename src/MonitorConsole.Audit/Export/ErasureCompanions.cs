using System.Data.Common;
using System.Globalization;
using System.Text;
using MonitorConsole.Audit.Chain;
using MonitorConsole.Audit.Storage;

namespace MonitorConsole.Audit.Export;

/// <summary>
/// The ERASURE entries a trail export must carry besides the entries its filter picks: an erased entry verifies
/// offline only next to the ERASURE entry that records it (anything else is indistinguishable from a data text cut
/// out by hand), and that entry is by another actor, with another action and resource, so no filter picks it.
/// </summary>
internal static class ErasureCompanions
{
    private const int ChunkSize = 500;

    /// <summary>
    /// The sequences of the ERASURE entries that record the erasure of an entry <paramref name="where"/> picks and that
    /// it does not pick itself, in order; empty when nothing in scope was erased.
    /// </summary>
    public static async Task<IReadOnlyList<long>> FindAsync(
        DbConnection connection, DbTransaction transaction, string where, SqlParameters parameters, CancellationToken ct)
    {
        var recordOf = new Dictionary<long, long>();
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = LedgerSql.Of(connection).ErasuresAfter;
            EntryRows.AddParameter(command, "@action", LedgerVocabulary.ErasureAction);
            EntryRows.AddParameter(command, "@after", 0L);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                if (reader.IsDBNull(1)) continue;
                if (ErasureRecord.TryRead(Encoding.UTF8.GetBytes(reader.GetString(1)), out var erased, out _))
                    recordOf.TryAdd(erased, reader.GetInt64(0));
            }
        }
        if (recordOf.Count == 0) return [];
        var picked = await PickedAsync(connection, transaction, where, parameters, recordOf.Keys.Concat(recordOf.Values), ct);
        return [.. recordOf.Where(e => picked.Contains(e.Key) && !picked.Contains(e.Value)).Select(e => e.Value).Order()];
    }

    /// <summary>Which of the candidate sequences the condition picks.</summary>
    private static async Task<HashSet<long>> PickedAsync(DbConnection connection, DbTransaction transaction, string where,
        SqlParameters parameters, IEnumerable<long> candidates, CancellationToken ct)
    {
        var picked = new HashSet<long>();
        foreach (var chunk in candidates.Distinct().Order().Chunk(ChunkSize))
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            // The candidates are numbers the database just gave us, so they are written into the statement.
            var list = string.Join(", ", chunk.Select(s => s.ToString(CultureInfo.InvariantCulture)));
            command.CommandText = LedgerSql.Of(connection).Sequences($"({where}) AND sequence IN ({list})");
            parameters.ApplyTo(command);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) picked.Add(reader.GetInt64(0));
        }
        return picked;
    }

    /// <summary>The condition widened to the companions.</summary>
    public static string Widen(string where, IReadOnlyList<long> companions) => companions.Count == 0 ? where
        : $"({where}) OR sequence IN ({string.Join(", ", companions.Select(s => s.ToString(CultureInfo.InvariantCulture)))})";
}
