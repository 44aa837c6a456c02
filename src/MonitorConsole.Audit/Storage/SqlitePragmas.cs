using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace MonitorConsole.Audit.Storage;

/// <summary>
/// Per-connection SQLite settings. synchronous=FULL makes every acknowledged commit durable in WAL mode; the busy
/// timeout lets several processes share one file by waiting for the write lock instead of failing.
/// </summary>
internal sealed class SqlitePragmas(int lockTimeoutSeconds) : DbConnectionInterceptor
{
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) =>
        Apply(connection, lockTimeoutSeconds);

    public override Task ConnectionOpenedAsync(
        DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection, lockTimeoutSeconds);
        return Task.CompletedTask;
    }

    public static void Apply(DbConnection connection, int lockTimeoutSeconds)
    {
        using var command = connection.CreateCommand();
        command.CommandText =
            $"PRAGMA synchronous=FULL; PRAGMA busy_timeout={lockTimeoutSeconds * 1000}; PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;";
        command.ExecuteNonQuery();
    }
}
