using System.Globalization;

namespace MonitorConsole.Audit.Storage;

/// <summary>
/// Every statement the ledger sends over ADO.NET, in the provider's dialect: row limits (LIMIT or TOP), the hash
/// lookup (an expression index, SQL Server's persisted computed column, MySQL's prefix index), counts, the chain lock
/// and the multi-row INSERT. The ledger's code builds its SQL only here, so a test can enumerate the members and parse
/// what SQL Server would be sent (no SQL Server runs on the build machines).
/// </summary>
internal sealed class LedgerSql
{
    private static readonly LedgerSql SqliteSql = new(DatabaseProvider.Sqlite);
    private static readonly LedgerSql PostgreSqlSql = new(DatabaseProvider.PostgreSql);
    private static readonly LedgerSql SqlServerSql = new(DatabaseProvider.SqlServer);
    private static readonly LedgerSql MySqlSql = new(DatabaseProvider.MySql);

    private const string Table = AuditSchema.Table;

    private LedgerSql(DatabaseProvider provider) => Provider = provider;

    /// <summary>The dialect of an open connection of the ledger's (the ADO.NET paths get only the connection).</summary>
    public static LedgerSql Of(System.Data.Common.DbConnection connection) => connection switch
    {
        Microsoft.Data.Sqlite.SqliteConnection => SqliteSql,
        Npgsql.NpgsqlConnection => PostgreSqlSql,
        Microsoft.Data.SqlClient.SqlConnection => SqlServerSql,
        MySqlConnector.MySqlConnection => MySqlSql,
        _ => throw new AuditOperationException($"No SQL dialect for {connection.GetType().Name}."),
    };

    public static LedgerSql For(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Sqlite => SqliteSql,
        DatabaseProvider.PostgreSql => PostgreSqlSql,
        DatabaseProvider.SqlServer => SqlServerSql,
        DatabaseProvider.MySql => MySqlSql,
        _ => throw new AuditOperationException($"The {provider} provider is not supported."),
    };

    public DatabaseProvider Provider { get; }

    private bool IsSqlServer => Provider == DatabaseProvider.SqlServer;

    /// <summary>
    /// SELECT … FROM audit_entries WHERE … ORDER BY …, at most <paramref name="limit"/> rows (all when null): TOP on
    /// SQL Server, LIMIT elsewhere.
    /// </summary>
    private string Select(string columns, string where, string orderBy, int? limit = null)
    {
        var top = limit is { } n && IsSqlServer ? $"TOP ({n.ToString(CultureInfo.InvariantCulture)}) " : "";
        var tail = limit is { } m && !IsSqlServer ? $" LIMIT {m.ToString(CultureInfo.InvariantCulture)}" : "";
        return $"SELECT {top}{columns} FROM {Table} WHERE {where} ORDER BY {orderBy}{tail}";
    }

    private const string Entry = AuditSchema.Columns;

    /// <summary>The newest row: the chain head.</summary>
    public string Head => Select("sequence, entry_hash, timestamp", "1=1", "sequence DESC", 1);

    /// <summary>Rows below sequence 1: planted, since the chain starts at 1.</summary>
    public string OutsideChain => Select("sequence, entry_id, entry_hash", "sequence < 1", "sequence");

    /// <summary>Rows whose entry_id another row also has.</summary>
    public string DuplicateIds(int limit) => Select("sequence, entry_id, entry_hash",
        $"entry_id IN (SELECT entry_id FROM {Table} GROUP BY entry_id HAVING COUNT(*) > 1)", "entry_id, sequence", limit);

    /// <summary>Other chain rows (@sequence excluded) carrying @hash.</summary>
    public string OthersWithHash => Select("sequence", HashLookup("@hash") + " AND sequence <> @sequence", "sequence", 10);

    /// <summary>The first row at or after sequence @s, with its timestamp.</summary>
    public string AtOrAfter => Select("sequence, timestamp", "sequence >= @s", "sequence", 1);

    /// <summary>The chain's first and last sequence (rows planted below 1 left out).</summary>
    public string MinMax => $"SELECT MIN(sequence), MAX(sequence) FROM {Table} WHERE sequence >= 1";

    /// <summary>A page of a trail, newest first.</summary>
    public string Trail(string where, int limit) => Select(Entry, where, "sequence DESC", limit);

    /// <summary>Counts, distinct actors, first and last timestamp of the filtered rows, and the chain's length.</summary>
    public string Statistics(string where) =>
        $"SELECT {CountAll}, {Count("DISTINCT actor")}, MIN(timestamp), MAX(timestamp), " +
        $"(SELECT {CountAll} FROM {Table} WHERE sequence >= 1) FROM {Table} WHERE {where}";

    /// <summary>Filtered rows per action.</summary>
    public string ActionCounts(string where) => GroupCounts("action", where);

    /// <summary>Filtered rows per day (yyyy-MM-dd).</summary>
    public string DayCounts(string where) => GroupCounts(DayOf("timestamp"), where);

    private string GroupCounts(string key, string where) =>
        $"SELECT {key}, {CountAll} FROM {Table} WHERE {where} GROUP BY {key} ORDER BY {key}";

    /// <summary>One chain entry by id, hash or sequence (@value); rows outside the chain never answer.</summary>
    public string OneById => Select(Entry, "entry_id = @value AND sequence >= 1", "sequence", 1);

    public string OneByHash => Select(Entry, HashLookup("@value") + " AND sequence >= 1", "sequence", 1);

    public string OneBySequence => Select(Entry, "sequence = @value AND sequence >= 1", "sequence", 1);

    /// <summary>The sequences of the entries a condition picks, in order.</summary>
    public string Sequences(string where) => Select("sequence", where, "sequence");

    /// <summary>The ROLLBACK entries (@action), in order.</summary>
    public string Rollbacks => Select("sequence, data", "action = @action AND sequence >= 1", "sequence");

    /// <summary>ERASURE entries (@action) after sequence @after, with their data and data_hash, in order.</summary>
    public string ErasuresAfter => Select("sequence, data, data_hash", "action = @action AND sequence > @after", "sequence");

    /// <summary>ERASURE entries (@action) after sequence @after, for showing who erased an entry's data and why.</summary>
    public string ErasureEntriesAfter => Select("sequence, timestamp, actor, data", "action = @action AND sequence > @after", "sequence");

    /// <summary>Blanks the data of entry @sequence: the only UPDATE the guards let through, and only after an ERASURE entry.</summary>
    public const string EraseData = $"UPDATE {Table} SET data = '' WHERE sequence = @sequence";

    /// <summary>Drops the search words of entry @sequence.</summary>
    public const string SearchTokensDelete = $"DELETE FROM {AuditSchema.SearchTokensTable} WHERE sequence = @sequence";

    /// <summary>Takes the search mark's row lock without moving it, so an indexer's batch cannot interleave with an erasure.</summary>
    public const string SearchLockProgress =
        $"UPDATE {AuditSchema.SearchProgressTable} SET indexed_through = indexed_through WHERE id = 1";

    /// <summary>The entries in (@from, @to] whose data was erased.</summary>
    public const string ErasedInRange = $"SELECT sequence FROM {Table} WHERE sequence > @from AND sequence <= @to AND data = ''";

    /// <summary>Up to two chain entries carrying @hash: a rollback's target, and whether it is ambiguous.</summary>
    public string RollbackTargets => Select("sequence, entry_id, entry_hash", HashLookup("@hash"), "sequence", 2);

    /// <summary>The chain entry just before sequence @first.</summary>
    public string Anchor => Select("sequence, entry_hash, timestamp", "sequence < @first AND sequence >= 1", "sequence DESC", 1);

    /// <summary>How many rows lie in [@from, @to].</summary>
    public string CountRange => $"SELECT {CountAll} FROM {Table} WHERE sequence >= @from AND sequence <= @to";

    /// <summary>Every row in [@from, @to], in order, for verification.</summary>
    public string EntriesInRange => Select(Entry, "sequence >= @from AND sequence <= @to", "sequence");

    /// <summary>The filtered rows in order, for an export.</summary>
    public string Entries(string where) => Select(Entry, where, "sequence");

    /// <summary>The first <paramref name="limit"/> rows (all when null), in order: the benchmark's reads.</summary>
    public string FirstEntries(int? limit) => Select(Entry, "1=1", "sequence", limit);

    /// <summary>Merkle leaves: entry hashes in (@first, @last].</summary>
    public string Leaves => Select("sequence, entry_hash", "sequence > @first AND sequence <= @last", "sequence");

    /// <summary>The entry hash at @sequence.</summary>
    public string EntryHashAt => $"SELECT entry_hash FROM {Table} WHERE sequence = @sequence";

    /// <summary>How many rows match: a trail's total.</summary>
    public string CountWhere(string where) => $"SELECT {CountAll} FROM {Table} WHERE {where}";

    /// <summary>What the search indexer reads: up to <paramref name="limit"/> chain entries after @after, in order.</summary>
    public string EntriesToIndex(int limit) => Select(
        "sequence, action, actor, resource_type, resource_id, data, details", "sequence > @after", "sequence", limit);

    /// <summary>The last sequence the search index holds.</summary>
    public const string SearchIndexedThrough = $"SELECT indexed_through FROM {AuditSchema.SearchProgressTable} WHERE id = 1";

    /// <summary>
    /// Moves the search index's mark from @from to @to; no row changes when another indexer moved it first, and the
    /// batch is then dropped.
    /// </summary>
    public const string SearchAdvance =
        $"UPDATE {AuditSchema.SearchProgressTable} SET indexed_through = @to WHERE id = 1 AND indexed_through = @from";

    /// <summary>The stored spellings of a field's value (@field), matched by its lower case (@lower).</summary>
    public const string SearchValueSpellings =
        $"SELECT value FROM {AuditSchema.SearchValuesTable} WHERE field = @field AND value_lower = @lower";

    /// <summary>Up to <paramref name="limit"/> values of @field whose lower case starts with @prefix (a LIKE pattern, '!' escapes).</summary>
    public string SearchSuggestions(int limit)
    {
        var n = limit.ToString(CultureInfo.InvariantCulture);
        var where = $"WHERE field = @field AND value_lower LIKE @prefix ESCAPE '!' ORDER BY value_lower, value";
        return IsSqlServer
            ? $"SELECT TOP ({n}) value FROM {AuditSchema.SearchValuesTable} {where}"
            : $"SELECT value FROM {AuditSchema.SearchValuesTable} {where} LIMIT {n}";
    }

    /// <summary>Records a value (@field, @value, @lower) unless it is there already.</summary>
    public string SearchValueInsert => Provider switch
    {
        DatabaseProvider.Sqlite => $"INSERT OR IGNORE INTO {AuditSchema.SearchValuesTable} (field, value, value_lower) VALUES (@field, @value, @lower)",
        DatabaseProvider.PostgreSql => $"INSERT INTO {AuditSchema.SearchValuesTable} (field, value, value_lower) VALUES (@field, @value, @lower) ON CONFLICT DO NOTHING",
        DatabaseProvider.MySql => $"INSERT IGNORE INTO {AuditSchema.SearchValuesTable} (field, value, value_lower) VALUES (@field, @value, @lower)",
        _ => $"IF NOT EXISTS (SELECT 1 FROM {AuditSchema.SearchValuesTable} WHERE field = @field AND value = @value) " +
             $"INSERT INTO {AuditSchema.SearchValuesTable} (field, value, value_lower) VALUES (@field, @value, @lower)",
    };

    /// <summary>Rows per INSERT of search words: two parameters each, within SQL Server's 2,100 and 1,000-row limits.</summary>
    public const int TokensPerInsert = 1000;

    /// <summary>INSERT of <paramref name="rows"/> (token, sequence) pairs with numbered placeholders.</summary>
    public string SearchTokensInsert(int rows)
    {
        var sql = new System.Text.StringBuilder($"INSERT INTO {AuditSchema.SearchTokensTable} (token, sequence) VALUES ");
        for (var r = 0; r < rows; r++)
            sql.Append(r == 0 ? "(" : ", (").Append(Placeholder(2 * r + 1)).Append(", ").Append(Placeholder(2 * r + 2)).Append(')');
        return sql.ToString();
    }

    /// <summary>Entries holding the word @placeholder, by the index.</summary>
    public static string SequencesWithToken(string placeholder) =>
        $"SELECT sequence FROM {AuditSchema.SearchTokensTable} WHERE token = {placeholder}";

    /// <summary>A chain entry (sequence 1 and up) by entry hash, through the provider's hash-prefix index.</summary>
    private string HashLookup(string parameter) => Provider switch
    {
        // The persisted computed column the SQL Server migrations index.
        DatabaseProvider.SqlServer =>
            $"sequence >= 1 AND entry_hash_prefix = CAST(LEFT({parameter}, 16) AS char(16)) AND entry_hash = {parameter}",
        // A prefix index (entry_hash(16)) serves equality on the whole column.
        DatabaseProvider.MySql => $"sequence >= 1 AND entry_hash = {parameter}",
        _ => AuditSchema.HashLookup(parameter),
    };

    private string Count(string what) => IsSqlServer ? $"COUNT_BIG({what})" : $"COUNT({what})";

    /// <summary>COUNT(*) as a 64-bit integer (SQL Server's COUNT is 32-bit).</summary>
    private string CountAll => Count("*");

    /// <summary>The day (yyyy-MM-dd) of a hash-spec timestamp column.</summary>
    private string DayOf(string column) => IsSqlServer ? $"LEFT({column}, 10)" : $"substr({column}, 1, 10)";

    /// <summary>The numbered placeholder of a positional parameter (1-based): Npgsql's $n, elsewhere a name.</summary>
    public string Placeholder(int number) =>
        Provider == DatabaseProvider.PostgreSql
            ? "$" + number.ToString(CultureInfo.InvariantCulture)
            : "@p" + number.ToString(CultureInfo.InvariantCulture);

    /// <summary>Names a parameter for <see cref="Placeholder"/>; Npgsql's positional parameters have no name.</summary>
    public string ParameterName(int number) => Provider == DatabaseProvider.PostgreSql ? "" : Placeholder(number);

    /// <summary>
    /// Rows per multi-row INSERT: SQL Server takes at most 2,100 parameters per command (12 per row) and 1,000 rows
    /// per VALUES list; the others take the writer's whole batch.
    /// </summary>
    public int RowsPerInsert => IsSqlServer ? 2100 / EntryColumnCount - 1 : 1000;

    public const int EntryColumnCount = 12;

    /// <summary>INSERT of <paramref name="rows"/> entries with numbered placeholders, row by row in column order.</summary>
    public string Insert(int rows)
    {
        var sql = new System.Text.StringBuilder($"INSERT INTO {Table} ({AuditSchema.Columns}) VALUES ");
        var number = 0;
        for (var r = 0; r < rows; r++)
        {
            sql.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < EntryColumnCount; c++) sql.Append(c == 0 ? "" : ", ").Append(Placeholder(++number));
            sql.Append(')');
        }
        return sql.ToString();
    }

    /// <summary>An arbitrary 64-bit key naming "the audit chain's head" among PostgreSQL's advisory locks.</summary>
    public const long AdvisoryKey = 0x4D43_4155_4449_5431; // "MCAUDIT1"

    /// <summary>SQL Server's application lock resource (per database, as applocks are).</summary>
    public const string AppLockResource = "monitorconsole:audit-chain-head";

    /// <summary>
    /// MySQL's named locks are server-wide and their names at most 64 characters, so the name carries a digest of the
    /// current database: two ledgers on one server do not wait for each other.
    /// </summary>
    private const string MySqlLockName = "CONCAT('monitorconsole_audit_', MD5(DATABASE()))";

    /// <summary>
    /// The head read by a writer, behind the chain lock in the same round trip where the lock lives in the transaction:
    /// PostgreSQL's transaction-scoped advisory lock, SQL Server's applock owned by the transaction (refused with an
    /// error when it cannot be had in time). SQLite's write transaction is the lock; MySQL's lock is taken before the
    /// transaction (<see cref="SessionLock"/>).
    /// </summary>
    public string LockedHead(int lockTimeoutSeconds) => Provider switch
    {
        DatabaseProvider.PostgreSql => $"SELECT pg_advisory_xact_lock({AdvisoryKey}); {Head}",
        DatabaseProvider.SqlServer =>
            "DECLARE @chain_lock int; " +
            $"EXEC @chain_lock = sp_getapplock @Resource = N'{AppLockResource}', @LockMode = 'Exclusive', @LockOwner = 'Transaction', @LockTimeout = {(lockTimeoutSeconds * 1000L).ToString(CultureInfo.InvariantCulture)}; " +
            "IF @chain_lock < 0 THROW 51010, 'audit_entries: another writer held the chain lock for longer than the lock timeout', 1; " +
            Head,
        _ => Head,
    };

    /// <summary>Result sets <see cref="LockedHead"/> returns before the head's (PostgreSQL's lock is a SELECT).</summary>
    public int ResultSetsBeforeLockedHead => Provider == DatabaseProvider.PostgreSql ? 1 : 0;

    /// <summary>
    /// MySQL: the named lock, taken before the write transaction begins (so its snapshot is read after the lock) and
    /// answering 1 when held, 0 on timeout. Null elsewhere.
    /// </summary>
    public string? SessionLock(int lockTimeoutSeconds) =>
        Provider == DatabaseProvider.MySql
            ? $"SELECT GET_LOCK({MySqlLockName}, {lockTimeoutSeconds.ToString(CultureInfo.InvariantCulture)})"
            : null;

    /// <summary>MySQL: releases <see cref="SessionLock"/> (it outlives the transaction). Null elsewhere.</summary>
    public string? SessionUnlock => Provider == DatabaseProvider.MySql ? $"DO RELEASE_LOCK({MySqlLockName})" : null;
}
