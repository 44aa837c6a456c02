using Microsoft.EntityFrameworkCore;

namespace MonitorConsole.Audit.Storage;

/// <summary>
/// A module's tables in the ledger's database, with its own migrations history table: one context per operation,
/// migrated once, after the ledger has prepared the file (page size, WAL).
/// </summary>
public abstract class ModuleDatabase<TContext> : IDbContextFactory<TContext> where TContext : DbContext
{
    private readonly AuditDatabase _audit;
    private readonly DbContextOptions<TContext> _options;
    private readonly Func<DbContextOptions<TContext>, TContext> _create;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _initialized;

    protected ModuleDatabase(AuditDatabase audit, string migrationsTable, Func<DbContextOptions<TContext>, TContext> create)
    {
        _audit = audit;
        _create = create;
        _options = Options(audit.Target, audit.Options, migrationsTable).Options;
    }

    public static DbContextOptionsBuilder<TContext> Options(DatabaseTarget target, AuditOptions options, string migrationsTable) =>
        AuditDatabase.UseDatabase(new DbContextOptionsBuilder<TContext>(), target, options,
            typeof(TContext).Assembly.FullName!, migrationsTable);

    public TContext CreateDbContext()
    {
        EnsureInitializedAsync(CancellationToken.None).GetAwaiter().GetResult();
        return _create(_options);
    }

    public async Task<TContext> CreateDbContextAsync(CancellationToken cancellationToken = default)
    {
        await EnsureInitializedAsync(cancellationToken);
        return _create(_options);
    }

    public async Task EnsureInitializedAsync(CancellationToken ct)
    {
        if (_initialized) return;
        await _gate.WaitAsync(ct);
        try
        {
            if (_initialized) return;
            await _audit.EnsureInitializedAsync(ct);
            await using var context = _create(_options);
            if (_audit.Options.MigrateOnStartup) await context.Database.MigrateAsync(ct);
            _initialized = true;
        }
        finally
        {
            _gate.Release();
        }
    }
}
