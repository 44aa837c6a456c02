using System.Data.Common;
using MonitorConsole.Audit.Storage;

namespace MonitorConsole.Audit.Chain;

/// <summary>
/// Serializes writers across processes and machines before they read the chain head. SQLite's write transaction
/// (BEGIN IMMEDIATE) already is such a lock; PostgreSQL's advisory lock and SQL Server's applock belong to the
/// transaction and are taken with the head read (<see cref="LedgerSql.LockedHead"/>). MySQL has no transaction-scoped
/// named lock: GET_LOCK belongs to the session, so it is taken here before the transaction begins (its snapshot then
/// starts after the lock) and released once the transaction has committed or rolled back. A writer that dies loses its
/// session and with it the lock; a pooled session that failed to release it is reset before it is handed out again
/// (MySqlConnector's connection reset). The unique sequence and the insert guard stay as the last line of defence.
/// </summary>
internal sealed class ChainSessionLock : IAsyncDisposable
{
    private readonly DbConnection? _connection;
    private readonly string? _release;

    private ChainSessionLock(DbConnection? connection, string? release) => (_connection, _release) = (connection, release);

    public static async Task<ChainSessionLock> TakeAsync(DbConnection connection, int timeoutSeconds, CancellationToken ct)
    {
        var sql = LedgerSql.Of(connection);
        if (sql.SessionLock(timeoutSeconds) is not { } take) return new ChainSessionLock(null, null);
        await using var command = connection.CreateCommand();
        command.CommandText = take;
        var answer = await command.ExecuteScalarAsync(ct);
        if (answer is null or DBNull || Convert.ToInt64(answer, System.Globalization.CultureInfo.InvariantCulture) != 1)
            throw new AuditOperationException(
                $"another writer held the chain lock for longer than the lock timeout ({timeoutSeconds} s); nothing was appended");
        return new ChainSessionLock(connection, sql.SessionUnlock);
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is null || _release is null) return;
        await using var command = _connection.CreateCommand();
        command.CommandText = _release;
        await command.ExecuteNonQueryAsync();
    }
}
