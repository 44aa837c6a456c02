using Microsoft.EntityFrameworkCore.Design;
using MonitorConsole.Audit;
using MonitorConsole.Audit.Storage;

namespace MonitorConsole.Access;

/// <summary>Accounts and API keys live in the ledger's database.</summary>
public sealed class AccessDatabase(AuditDatabase audit)
    : ModuleDatabase<AccessDbContext>(audit, AccessDbContext.MigrationsTable, o => new AccessDbContext(o));

/// <summary>Lets dotnet-ef build the context to generate migrations.</summary>
internal sealed class AccessDesignTimeFactory : IDesignTimeDbContextFactory<AccessDbContext>
{
    public AccessDbContext CreateDbContext(string[] args) => new(AccessDatabase.Options(
        DatabaseTarget.Sqlite("design-time.db"), new AuditOptions(), AccessDbContext.MigrationsTable).Options);
}
