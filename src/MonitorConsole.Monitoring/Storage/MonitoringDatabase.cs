using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using MonitorConsole.Audit;
using MonitorConsole.Audit.Storage;

namespace MonitorConsole.Monitoring.Storage;

/// <summary>The monitoring tables live in the ledger's database; one context per operation, migrated once.</summary>
public sealed class MonitoringDatabase(AuditDatabase audit) : IDbContextFactory<MonitoringDbContext>
{
    private readonly DbContextOptions<MonitoringDbContext> _options = Build(audit.Target, audit.Options).Options;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _initialized;

    internal static DbContextOptionsBuilder<MonitoringDbContext> Build(DatabaseTarget target, AuditOptions options) =>
        AuditDatabase.UseDatabase(new DbContextOptionsBuilder<MonitoringDbContext>(), target, options,
            typeof(MonitoringDbContext).Assembly.FullName!, MonitoringDbContext.MigrationsTable);

    public MonitoringDbContext CreateDbContext()
    {
        EnsureInitializedAsync(CancellationToken.None).GetAwaiter().GetResult();
        return new MonitoringDbContext(_options);
    }

    public async Task<MonitoringDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default)
    {
        await EnsureInitializedAsync(cancellationToken);
        return new MonitoringDbContext(_options);
    }

    public async Task EnsureInitializedAsync(CancellationToken ct)
    {
        if (_initialized) return;
        await _gate.WaitAsync(ct);
        try
        {
            if (_initialized) return;
            // The ledger prepares the file (page size, WAL) before anything else creates tables in it.
            await audit.EnsureInitializedAsync(ct);
            await using var context = new MonitoringDbContext(_options);
            if (audit.Options.MigrateOnStartup) await context.Database.MigrateAsync(ct);
            _initialized = true;
        }
        finally
        {
            _gate.Release();
        }
    }
}

/// <summary>Lets dotnet-ef build the context to generate migrations.</summary>
internal sealed class MonitoringDesignTimeFactory : IDesignTimeDbContextFactory<MonitoringDbContext>
{
    public MonitoringDbContext CreateDbContext(string[] args) =>
        new(MonitoringDatabase.Build(DatabaseTarget.Sqlite("design-time.db"), new AuditOptions()).Options);
}
