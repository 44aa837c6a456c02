using Microsoft.EntityFrameworkCore.Design;
using MonitorConsole.Audit;
using MonitorConsole.Audit.Storage;

namespace MonitorConsole.Monitoring.Storage;

/// <summary>The monitoring tables live in the ledger's database.</summary>
public sealed class MonitoringDatabase(AuditDatabase audit)
    : ModuleDatabase<MonitoringDbContext>(audit, MonitoringDbContext.MigrationsTable, o => new MonitoringDbContext(o));

/// <summary>Lets dotnet-ef build the context to generate migrations.</summary>
internal sealed class MonitoringDesignTimeFactory : IDesignTimeDbContextFactory<MonitoringDbContext>
{
    public MonitoringDbContext CreateDbContext(string[] args) => new(MonitoringDatabase.Options(
        DatabaseTarget.Sqlite("design-time.db"), new AuditOptions(), MonitoringDbContext.MigrationsTable).Options);
}
