using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace MonitorConsole.Audit.Storage;

/// <summary>
/// MySQL's EF provider serialises migrations with GET_LOCK('__EFMigrationsLock', -1), a negative timeout meaning
/// "wait for ever" on MySQL 8, and reads the answer as a 64-bit integer. MariaDB answers NULL to a negative timeout (no
/// lock taken) and a 32-bit integer otherwise, and the provider fails casting either. Its history repository is
/// internal, so the lock statement is rewritten on the way out: a finite timeout both servers accept, and the answer
/// (1 when held) given a 64-bit width, since MySql.Data picks the .NET type from the column's display width (a CAST
/// to SIGNED still comes back as Int32 from MariaDB). Everything else passes untouched.
/// </summary>
internal sealed class MariaDbMigrationLock : DbCommandInterceptor
{
    public const int TimeoutSeconds = 600;

    private const string ProviderStatement = "GET_LOCK('__EFMigrationsLock',-1)";

    public static readonly MariaDbMigrationLock Instance = new();

    public override InterceptionResult<object> ScalarExecuting(
        DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Rewrite(command);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Rewrite(command);
        return ValueTask.FromResult(result);
    }

    private static void Rewrite(DbCommand command)
    {
        if (command.CommandText.Contains(ProviderStatement, StringComparison.Ordinal))
            command.CommandText = command.CommandText.Replace(ProviderStatement,
                $"IF(GET_LOCK('__EFMigrationsLock', {TimeoutSeconds}) = 1, 4294967297 - 4294967296, 0)", StringComparison.Ordinal);
    }
}
