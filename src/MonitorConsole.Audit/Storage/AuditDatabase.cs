using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MonitorConsole.Audit.Storage;

/// <summary>Where the ledger lives: resolves the configured database, prepares it, and hands out contexts.</summary>
public sealed class AuditDatabase : IDbContextFactory<AuditDbContext>
{
    private readonly DbContextOptions<AuditDbContext> _contextOptions;
    private readonly SemaphoreSlim _initGate = new(1, 1);
    private volatile bool _initialized;

    public AuditDatabase(IOptions<AuditOptions> options)
    {
        Options = options.Value;
        Target = Resolve(Options);
        _contextOptions = BuildOptions(Target, Options).Options;
    }

    public AuditOptions Options { get; }
    public DatabaseTarget Target { get; }
    public DatabaseProvider Provider => Target.Provider;

    /// <summary>Where PostgreSQL's migrations for every context live (referenced by the web host and the CLI).</summary>
    public const string PostgreSqlMigrationsAssembly = "MonitorConsole.Migrations.PostgreSql";

    /// <summary>SQL Server's migrations for every context.</summary>
    public const string SqlServerMigrationsAssembly = "MonitorConsole.Migrations.SqlServer";

    /// <summary>MySQL's and MariaDB's migrations for every context.</summary>
    public const string MySqlMigrationsAssembly = "MonitorConsole.Migrations.MySql";

    /// <summary>Configured database, else AUDIT_DB_URL, else the default SQLite file.</summary>
    public static DatabaseTarget Resolve(AuditOptions options)
    {
        var configured = options.Database;
        if (string.IsNullOrWhiteSpace(configured)) configured = Environment.GetEnvironmentVariable("AUDIT_DB_URL");
        return string.IsNullOrWhiteSpace(configured)
            ? DatabaseTarget.Sqlite(options.DefaultSqlitePath)
            : DatabaseTarget.Parse(configured);
    }

    internal static DbContextOptionsBuilder<AuditDbContext> BuildOptions(DatabaseTarget target, AuditOptions options) =>
        UseDatabase(new DbContextOptionsBuilder<AuditDbContext>(), target, options,
            typeof(AuditDbContext).Assembly.FullName!, migrationsHistoryTable: null);

    /// <summary>
    /// Points any context of the console at the ledger's database with the ledger's connection settings, so every
    /// module's tables share one file (or server) and one way of opening it.
    /// </summary>
    public static DbContextOptionsBuilder<TContext> UseDatabase<TContext>(
        DbContextOptionsBuilder<TContext> builder, DatabaseTarget target, AuditOptions options,
        string migrationsAssembly, string? migrationsHistoryTable)
        where TContext : DbContext
    {
        switch (target.Provider)
        {
            case DatabaseProvider.Sqlite:
                builder.UseSqlite(target.ConnectionString + $";Default Timeout={options.LockTimeoutSeconds}", s =>
                {
                    s.MigrationsAssembly(migrationsAssembly);
                    if (migrationsHistoryTable is not null) s.MigrationsHistoryTable(migrationsHistoryTable);
                });
                builder.AddInterceptors(new SqlitePragmas(options.LockTimeoutSeconds));
                break;
            case DatabaseProvider.PostgreSql:
                builder.UseNpgsql(target.ConnectionString, s =>
                {
                    // One migrations assembly per provider: their SQL (triggers, expression indexes) differs.
                    s.MigrationsAssembly(PostgreSqlMigrationsAssembly);
                    if (migrationsHistoryTable is not null) s.MigrationsHistoryTable(migrationsHistoryTable);
                });
                break;
            case DatabaseProvider.SqlServer:
                builder.UseSqlServer(target.ConnectionString, s =>
                {
                    s.MigrationsAssembly(SqlServerMigrationsAssembly);
                    if (migrationsHistoryTable is not null) s.MigrationsHistoryTable(migrationsHistoryTable);
                });
                break;
            case DatabaseProvider.MySql:
                builder.UseMySQL(target.ConnectionString, s =>
                {
                    s.MigrationsAssembly(MySqlMigrationsAssembly);
                    if (migrationsHistoryTable is not null) s.MigrationsHistoryTable(migrationsHistoryTable);
                });
                // Every table in utf8mb4 with a binary collation: MySQL's default collations ignore case (and
                // trailing spaces), so hashes, names and filters would match values that are not equal.
                builder.ReplaceService<Microsoft.EntityFrameworkCore.Infrastructure.IModelCustomizer, MySqlModelCustomizer>();
                builder.AddInterceptors(MariaDbMigrationLock.Instance);
                break;
            default:
                throw new AuditOperationException($"The {target.Provider} provider is not supported.");
        }
        return builder;
    }

    public AuditDbContext CreateDbContext()
    {
        EnsureInitialized();
        return new AuditDbContext(_contextOptions);
    }

    public async Task<AuditDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default)
    {
        await EnsureInitializedAsync(cancellationToken);
        return new AuditDbContext(_contextOptions);
    }

    /// <summary>
    /// An open ADO.NET connection with the ledger's settings, for the append, streaming and query paths, which need no
    /// change tracking or LINQ.
    /// </summary>
    internal async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        await EnsureInitializedAsync(cancellationToken);
        var connection = NewConnection();
        try
        {
            await connection.OpenAsync(cancellationToken);
            if (Provider == DatabaseProvider.Sqlite) SqlitePragmas.Apply(connection, Options.LockTimeoutSeconds);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private DbConnection NewConnection() => Provider switch
    {
        DatabaseProvider.Sqlite => new Microsoft.Data.Sqlite.SqliteConnection(
            Target.ConnectionString + $";Default Timeout={Options.LockTimeoutSeconds}"),
        DatabaseProvider.PostgreSql => new Npgsql.NpgsqlConnection(
            new Npgsql.NpgsqlConnectionStringBuilder(Target.ConnectionString) { CommandTimeout = Options.LockTimeoutSeconds }.ConnectionString),
        DatabaseProvider.SqlServer => new Microsoft.Data.SqlClient.SqlConnection(
            new Microsoft.Data.SqlClient.SqlConnectionStringBuilder(Target.ConnectionString) { CommandTimeout = Options.LockTimeoutSeconds + 5 }.ConnectionString),
        // MySqlConnector rather than the EF provider's MySql.Data: true async I/O, and a pooled session is reset when
        // it is handed out again, so a named lock can never outlive the writer that took it.
        DatabaseProvider.MySql => new MySqlConnector.MySqlConnection(
            new MySqlConnector.MySqlConnectionStringBuilder(Target.ConnectionString)
            {
                // GET_LOCK gives up after the lock timeout; the command waiting for it must not give up first.
                DefaultCommandTimeout = (uint)Options.LockTimeoutSeconds + 5,
                ConnectionReset = true,
                GuidFormat = MySqlConnector.MySqlGuidFormat.None,
            }.ConnectionString),
        _ => throw new AuditOperationException($"The {Provider} provider is not supported."),
    };

    /// <summary>
    /// Page size trades bulk appends against single ones: larger pages mean fewer B-tree pages touched per row (raw
    /// inserts with this schema at 1,000,000 rows: 4 KiB ~37k/s, 16 KiB ~46k/s, 32 KiB ~50k/s) but more bytes written
    /// and synced per small commit (8 concurrent single appenders at 200,000 entries: 4 KiB ~5.9k/s, 16 KiB ~5.8k/s,
    /// 32 KiB ~4.5k/s). 16 KiB keeps most of both (docs/performance.md). It only takes effect on a new, empty file. WAL
    /// lets readers and one writer work at once; it is a property of the file.
    /// </summary>
    private async Task PrepareSqliteFileAsync(CancellationToken ct)
    {
        await using var connection = NewConnection();
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA page_size=16384; PRAGMA journal_mode=WAL;";
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// A read-only snapshot that does not take the write lock, so appends carry on while it is open. SQL Server's
    /// REPEATABLE READ would hold a shared lock on every row read (escalating to the table and stopping appends), so
    /// it reads under SNAPSHOT isolation, which its migrations allow.
    /// </summary>
    internal static async Task<DbTransaction> BeginReadTransactionAsync(DbConnection connection, CancellationToken ct) =>
        connection switch
        {
            Microsoft.Data.Sqlite.SqliteConnection sqlite => sqlite.BeginTransaction(deferred: true),
            Microsoft.Data.SqlClient.SqlConnection => await connection.BeginTransactionAsync(System.Data.IsolationLevel.Snapshot, ct),
            _ => await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct),
        };

    public void EnsureInitialized() => EnsureInitializedAsync(CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Creates the data folder and applies migrations once per process.</summary>
    public async Task EnsureInitializedAsync(CancellationToken cancellationToken)
    {
        if (_initialized) return;
        await _initGate.WaitAsync(cancellationToken);
        try
        {
            if (_initialized) return;
            if (Target.SqliteFilePath is { } file)
            {
                var folder = Path.GetDirectoryName(file);
                if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
            }
            if (Provider == DatabaseProvider.Sqlite) await PrepareSqliteFileAsync(cancellationToken);
            await using var context = new AuditDbContext(_contextOptions);
            if (Options.MigrateOnStartup) await context.Database.MigrateAsync(cancellationToken);
            _initialized = true;
        }
        finally
        {
            _initGate.Release();
        }
    }
}
