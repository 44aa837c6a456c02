using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using MonitorConsole.Audit;
using MonitorConsole.Audit.Storage;
using MonitorConsole.Monitoring.Access;
using MonitorConsole.Monitoring.Storage;

namespace MonitorConsole.Migrations.SqlServer;

// dotnet-ef builds the contexts with these when generating this assembly's migrations; nothing connects.
internal static class DesignTime
{
    public static readonly DatabaseTarget Target = DatabaseTarget.Parse("mssql://design:design@localhost/design");

    public static DbContextOptions<T> Options<T>(string? historyTable) where T : DbContext =>
        AuditDatabase.UseDatabase(new DbContextOptionsBuilder<T>(), Target, new AuditOptions(), "", historyTable).Options;
}

internal sealed class AuditFactory : IDesignTimeDbContextFactory<AuditDbContext>
{
    public AuditDbContext CreateDbContext(string[] args) => new(DesignTime.Options<AuditDbContext>(null));
}

internal sealed class MonitoringFactory : IDesignTimeDbContextFactory<MonitoringDbContext>
{
    public MonitoringDbContext CreateDbContext(string[] args) => new(DesignTime.Options<MonitoringDbContext>(MonitoringDbContext.MigrationsTable));
}

internal sealed class AccessFactory : IDesignTimeDbContextFactory<AccessDbContext>
{
    public AccessDbContext CreateDbContext(string[] args) => new(DesignTime.Options<AccessDbContext>(AccessDbContext.MigrationsTable));
}
