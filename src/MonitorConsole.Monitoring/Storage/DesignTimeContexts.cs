using Microsoft.EntityFrameworkCore;
using MonitorConsole.Audit;
using MonitorConsole.Audit.Storage;
using MonitorConsole.Access;

namespace MonitorConsole.Monitoring.Storage;

/// <summary>
/// The console's three contexts built for dotnet-ef against a provider's design-time URL (nothing connects), for
/// the per-provider migrations assemblies' factories.
/// </summary>
public static class DesignTimeContexts
{
    public static AuditDbContext Audit(string url) => new(Options<AuditDbContext>(url, null));

    public static MonitoringDbContext Monitoring(string url) => new(Options<MonitoringDbContext>(url, MonitoringDbContext.MigrationsTable));

    public static AccessDbContext Access(string url) => new(Options<AccessDbContext>(url, AccessDbContext.MigrationsTable));

    private static DbContextOptions<T> Options<T>(string url, string? historyTable) where T : DbContext =>
        AuditDatabase.UseDatabase(new DbContextOptionsBuilder<T>(), DatabaseTarget.Parse(url), new AuditOptions(), "", historyTable).Options;
}
