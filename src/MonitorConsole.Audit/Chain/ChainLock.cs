using System.Data.Common;
using MonitorConsole.Audit.Storage;

namespace MonitorConsole.Audit.Chain;

/// <summary>
/// Serializes writers across processes and machines before they read the chain head. SQLite's write transaction
/// (BEGIN IMMEDIATE) already is such a lock; on PostgreSQL a transaction-scoped advisory lock is taken, released by
/// commit or rollback — also when a writer dies mid-transaction, since its session ends. The unique sequence and the
/// previous_hash check stay as the last line of defence.
/// </summary>
internal static class ChainLock
{
    /// <summary>An arbitrary 64-bit key naming "the audit chain's head" among the database's advisory locks.</summary>
    public const long AdvisoryKey = 0x4D43_4155_4449_5431; // "MCAUDIT1"

    /// <summary>The statement that takes the lock, run first in each write transaction; none where the transaction is the lock.</summary>
    public static string? StatementFor(DatabaseProvider provider) =>
        provider == DatabaseProvider.PostgreSql ? $"SELECT pg_advisory_xact_lock({AdvisoryKey})" : null;
}
