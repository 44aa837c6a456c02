using Microsoft.EntityFrameworkCore.Design;

namespace MonitorConsole.Audit.Storage;

/// <summary>Lets dotnet-ef build the context to generate migrations.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<AuditDbContext>
{
    public AuditDbContext CreateDbContext(string[] args) =>
        new(AuditDatabase.BuildOptions(DatabaseTarget.Sqlite("design-time.db"), new AuditOptions()).Options);
}
