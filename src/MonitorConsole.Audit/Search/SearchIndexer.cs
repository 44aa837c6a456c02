using System.Data.Common;
using Microsoft.Extensions.Options;
using MonitorConsole.Audit.Storage;

namespace MonitorConsole.Audit.Search;

/// <summary>
/// Keeps the search index (words of data and details, distinct field values) up with the chain, after the fact: it
/// reads committed entries past its mark, then writes their words and moves the mark in one short transaction. The
/// append path never touches these tables. Several indexers may run (web and CLI processes): the mark moves only from
/// the value an indexer read, so a batch another one already wrote is dropped, not written twice.
/// </summary>
public sealed class SearchIndexer(AuditDatabase database, IOptions<AuditOptions> options)
{
    /// <summary>Values this process has seen committed to the index: each is written once, not once per batch.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Field, string Value), byte> _known = new();

    private const int MaxKnownValues = 100_000;

    /// <summary>Indexes everything appended so far, batch by batch; returns how many entries it indexed.</summary>
    public async Task<long> CatchUpAsync(CancellationToken ct = default)
    {
        long indexed = 0;
        while (true)
        {
            var done = await IndexBatchAsync(ct);
            if (done < 0) continue; // another indexer moved the mark; read from the new one
            if (done == 0) return indexed;
            indexed += done;
        }
    }

    public async Task<SearchIndexStatus> StatusAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        var through = await IndexedThroughAsync(connection, null, ct);
        var (_, max) = await TimeIndex.MinMaxAsync(connection, null, ct);
        return new SearchIndexStatus(through, Math.Max(0, max));
    }

    internal static async Task<long> IndexedThroughAsync(DbConnection connection, DbTransaction? transaction, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = LedgerSql.SearchIndexedThrough;
        return await command.ExecuteScalarAsync(ct) is { } value and not DBNull ? Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }

    /// <summary>One batch: the number of entries indexed, 0 when none were waiting, -1 when another indexer was first.</summary>
    private async Task<int> IndexBatchAsync(CancellationToken ct)
    {
        var settings = options.Value.Search;
        await using var connection = await database.OpenConnectionAsync(ct);
        var sql = LedgerSql.Of(connection);
        var from = await IndexedThroughAsync(connection, null, ct);

        // Read and cut into words before the write transaction, so the time it holds SQLite's write lock is short.
        var tokens = new List<(string Token, long Sequence)>();
        var values = new HashSet<(string Field, string Value)>();
        var details = new Dictionary<long, string>();
        long to = from;
        var count = 0;
        await using (var read = connection.CreateCommand())
        {
            read.CommandText = sql.EntriesToIndex(Math.Max(1, settings.BatchSize));
            EntryRows.AddParameter(read, "@after", from);
            await using var reader = await read.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var sequence = reader.GetInt64(0);
                string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
                var (action, actor, type, id) = (reader.GetString(1), reader.GetString(2), reader.GetString(3), Text(4));
                foreach (var word in SearchTokens.Of(settings.MaxWordsPerEntry, Text(5), Text(6))) tokens.Add((word, sequence));
                if (Text(6) is { } text) details[sequence] = text;
                values.Add((SearchFields.Action, action));
                values.Add((SearchFields.Actor, actor));
                values.Add((SearchFields.ResourceType, type));
                values.Add((SearchFields.Resource, type));
                if (id is not null)
                {
                    values.Add((SearchFields.ResourceId, id));
                    values.Add((SearchFields.Resource, type + "/" + id));
                }
                to = sequence;
                count++;
            }
        }
        if (count == 0) return 0;

        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var advance = connection.CreateCommand())
        {
            advance.Transaction = transaction;
            advance.CommandText = LedgerSql.SearchAdvance;
            EntryRows.AddParameter(advance, "@to", to);
            EntryRows.AddParameter(advance, "@from", from);
            if (await advance.ExecuteNonQueryAsync(ct) != 1)
            {
                await transaction.RollbackAsync(ct);
                return -1;
            }
        }
        tokens = await WithoutErasedDataAsync(connection, transaction, from, to, tokens, details, settings.MaxWordsPerEntry, ct);
        values.RemoveWhere(v => v.Value.Length > AuditSchema.MaxSearchValueLength || _known.ContainsKey(v));
        foreach (var (field, value) in values)
        {
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = sql.SearchValueInsert;
            EntryRows.AddParameter(insert, "@field", field);
            EntryRows.AddParameter(insert, "@value", value);
            EntryRows.AddParameter(insert, "@lower", value.ToLowerInvariant());
            await insert.ExecuteNonQueryAsync(ct);
        }
        await InsertTokensAsync(connection, transaction, tokens, ct);
        await transaction.CommitAsync(ct);
        if (_known.Count > MaxKnownValues) _known.Clear();
        foreach (var value in values) _known.TryAdd(value, 0);
        return count;
    }

    internal static async Task InsertTokensAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<(string Token, long Sequence)> tokens, CancellationToken ct)
    {
        var sql = LedgerSql.Of(connection);
        foreach (var chunk in tokens.Chunk(LedgerSql.TokensPerInsert))
        {
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = sql.SearchTokensInsert(chunk.Length);
            var number = 0;
            foreach (var (token, sequence) in chunk)
            {
                Add(insert, sql, ++number, token);
                Add(insert, sql, ++number, sequence);
            }
            await insert.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>
    /// An entry erased after this batch read it must not have its data's words written. Asked once the mark's row is
    /// locked (by moving it), which an erasure also locks, so the answer is current: the erased entries keep only
    /// their details' words.
    /// </summary>
    private static async Task<List<(string Token, long Sequence)>> WithoutErasedDataAsync(DbConnection connection,
        DbTransaction transaction, long from, long to, List<(string Token, long Sequence)> tokens,
        Dictionary<long, string> details, int maxWords, CancellationToken ct)
    {
        var erased = new HashSet<long>();
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = LedgerSql.ErasedInRange;
            EntryRows.AddParameter(command, "@from", from);
            EntryRows.AddParameter(command, "@to", to);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) erased.Add(reader.GetInt64(0));
        }
        if (erased.Count == 0) return tokens;
        var kept = tokens.Where(t => !erased.Contains(t.Sequence)).ToList();
        foreach (var sequence in erased)
            if (details.TryGetValue(sequence, out var text))
                kept.AddRange(SearchTokens.Of(maxWords, text).Select(w => (w, sequence)));
        return kept;
    }

    private static void Add(DbCommand command, LedgerSql sql, int number, object value)
    {
        var p = command.CreateParameter();
        p.ParameterName = sql.ParameterName(number);
        p.Value = value;
        command.Parameters.Add(p);
    }
}
