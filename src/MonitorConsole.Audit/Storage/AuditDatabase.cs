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

    /// <summary>Configured database, else AUDIT_DB_URL, else the default SQLite file.</summary>
    public static DatabaseTarget Resolve(AuditOptions options)
    {
        var configured = options.Database;
        if (string.IsNullOrWhiteSpace(configured)) configured = Environment.GetEnvironmentVariable("AUDIT_DB_URL");
        return string.IsNullOrWhiteSpace(configured)
            ? DatabaseTarget.Sqlite(options.DefaultSqlitePath)
            : DatabaseTarget.Parse(configured);
    }

    internal static DbContextOptionsBuilder<AuditDbContext> BuildOptions(DatabaseTarget target, AuditOptions options)
    {
        var builder = new DbContextOptionsBuilder<AuditDbContext>();
        switch (target.Provider)
        {
            case DatabaseProvider.Sqlite:
                builder.UseSqlite(target.ConnectionString + $";Default Timeout={options.LockTimeoutSeconds}",
                    s => s.MigrationsAssembly(typeof(AuditDbContext).Assembly.FullName));
                builder.AddInterceptors(new SqlitePragmas(options.LockTimeoutSeconds));
                break;
            default:
                throw new AuditOperationException(
                    $"The {target.Provider} provider is not available in this build; use a sqlite:/// database.");
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

    /// <summary>An open connection for the streaming and bulk paths; dispose the context with it.</summary>
    internal async Task<(AuditDbContext Context, DbConnection Connection)> OpenAsync(CancellationToken cancellationToken)
    {
        var context = await CreateDbContextAsync(cancellationToken);
        await context.Database.OpenConnectionAsync(cancellationToken);
        return (context, context.Database.GetDbConnection());
    }

    /// <summary>A read-only snapshot that does not take the write lock, so appends carry on while it is open.</summary>
    internal static async Task<DbTransaction> BeginReadTransactionAsync(DbConnection connection, CancellationToken ct) =>
        connection is Microsoft.Data.Sqlite.SqliteConnection sqlite
            ? sqlite.BeginTransaction(deferred: true)
            : await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);

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
            await using var context = new AuditDbContext(_contextOptions);
            if (Options.MigrateOnStartup) await context.Database.MigrateAsync(cancellationToken);
            if (Provider == DatabaseProvider.Sqlite)
                await context.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            _initialized = true;
        }
        finally
        {
            _initGate.Release();
        }
    }
}
