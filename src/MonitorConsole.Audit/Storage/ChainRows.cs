using System.Data.Common;

namespace MonitorConsole.Audit.Storage;

/// <summary>The newest entry of the chain.</summary>
public sealed record ChainHead(long Sequence, string EntryHash, DateTime Timestamp)
{
    public static readonly ChainHead Empty = new(0, HashSpec.GenesisHash, DateTime.MinValue);
}

/// <summary>A row of audit_entries that is not an entry of the chain, or that repeats another row's id or hash.</summary>
public sealed record StrayRow(long Sequence, string EntryId, string EntryHash);

/// <summary>
/// Where the chain is in the table: its head, and the rows that verification, checkpoints and proofs would otherwise
/// never look at. The chain is sequences 1..head; the database refuses anything else being inserted (a guard trigger),
/// but someone who can drop the guard can still plant rows, so readers account for every row themselves.
/// </summary>
internal static class ChainRows
{
    /// <summary>The head (highest sequence), or <see cref="ChainHead.Empty"/>.</summary>
    public static Task<ChainHead> HeadAsync(DbConnection connection, DbTransaction? transaction, CancellationToken ct) =>
        ReadHeadAsync(connection, transaction, LedgerSql.Of(connection).Head, 0, ct);

    /// <summary>
    /// A writer's head: behind the chain lock where it lives in the transaction (<see cref="LedgerSql.LockedHead"/>),
    /// sent in the same round trip as the read.
    /// </summary>
    public static Task<ChainHead> LockedHeadAsync(
        DbConnection connection, DbTransaction transaction, int lockTimeoutSeconds, CancellationToken ct)
    {
        var sql = LedgerSql.Of(connection);
        return ReadHeadAsync(connection, transaction, sql.LockedHead(lockTimeoutSeconds), sql.ResultSetsBeforeLockedHead, ct);
    }

    private static async Task<ChainHead> ReadHeadAsync(
        DbConnection connection, DbTransaction? transaction, string sql, int skipResultSets, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(ct);
        for (var i = 0; i < skipResultSets; i++) await reader.NextResultAsync(ct);
        if (!await reader.ReadAsync(ct)) return ChainHead.Empty;
        HashSpec.TryParseTimestamp(reader.GetString(2), out var timestamp);
        return new ChainHead(reader.GetInt64(0), reader.GetString(1), timestamp);
    }

    /// <summary>
    /// Rows below sequence 1 (the chain starts at 1; the head is the highest sequence, so nothing lies above it), at
    /// most <paramref name="limit"/> of them, and how many there are. A primary-key range: cheap at any size.
    /// </summary>
    public static async Task<(long Count, IReadOnlyList<StrayRow> Rows)> OutsideAsync(
        DbConnection connection, DbTransaction? transaction, int limit, CancellationToken ct)
    {
        var rows = new List<StrayRow>();
        long count = 0;
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = LedgerSql.Of(connection).OutsideChain;
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            count++;
            if (rows.Count < limit) rows.Add(Read(reader));
        }
        return (count, rows);
    }

    /// <summary>
    /// Rows whose entry_id another row also has. The unique index makes this empty unless it was dropped; verification
    /// does not rely on the index being there. Grouping walks that index (or the table) once.
    /// </summary>
    public static async Task<IReadOnlyList<StrayRow>> DuplicateIdsAsync(
        DbConnection connection, DbTransaction? transaction, int limit, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = LedgerSql.Of(connection).DuplicateIds(limit);
        return await ReadAllAsync(command, ct);
    }

    /// <summary>The other rows (by sequence) that carry <paramref name="entryHash"/>, through the hash-prefix index.</summary>
    public static async Task<IReadOnlyList<long>> OthersWithHashAsync(
        DbConnection connection, DbTransaction? transaction, string entryHash, long sequence, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = LedgerSql.Of(connection).OthersWithHash;
        EntryRows.AddParameter(command, "@hash", entryHash);
        EntryRows.AddParameter(command, "@sequence", sequence);
        var others = new List<long>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) others.Add(reader.GetInt64(0));
        return others;
    }

    private static async Task<IReadOnlyList<StrayRow>> ReadAllAsync(DbCommand command, CancellationToken ct)
    {
        var rows = new List<StrayRow>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) rows.Add(Read(reader));
        return rows;
    }

    private static StrayRow Read(DbDataReader reader) => new(
        reader.GetInt64(0),
        reader.IsDBNull(1) ? "" : reader.GetString(1),
        reader.IsDBNull(2) ? "" : reader.GetString(2));
}
