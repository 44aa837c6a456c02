using Microsoft.EntityFrameworkCore.Design;
using MonitorConsole.Audit.Storage;
using MonitorConsole.Access;
using MonitorConsole.Monitoring.Storage;

namespace MonitorConsole.Migrations.MySql;

// dotnet-ef builds the contexts with these when generating this assembly's migrations; nothing connects.
internal sealed class AuditFactory : IDesignTimeDbContextFactory<AuditDbContext>
{
    public AuditDbContext CreateDbContext(string[] args) => DesignTimeContexts.Audit("mysql://design:design@localhost/design");
}

internal sealed class MonitoringFactory : IDesignTimeDbContextFactory<MonitoringDbContext>
{
    public MonitoringDbContext CreateDbContext(string[] args) => DesignTimeContexts.Monitoring("mysql://design:design@localhost/design");
}

internal sealed class AccessFactory : IDesignTimeDbContextFactory<AccessDbContext>
{
    public AccessDbContext CreateDbContext(string[] args) => DesignTimeContexts.Access("mysql://design:design@localhost/design");
}
