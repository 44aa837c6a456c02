using Microsoft.EntityFrameworkCore;
using MonitorConsole.Access;
using MonitorConsole.Audit.Storage;
using MonitorConsole.Monitoring.Storage;

namespace MonitorConsole.Monitoring.Operations;

/// <summary>A migration one of the console's modules has (or had) to apply to the database.</summary>
public sealed record ModuleMigration(string Module, string Migration);

/// <summary>
/// The console's whole schema — the ledger's, accounts' and monitoring's tables, each with its own migrations history —
/// for the `migrate` verb and the web host's start-up. The ledger's migrations go first: the other modules' tables
/// live in its database.
/// </summary>
public sealed class DatabaseSchema(AuditDatabase audit, AccessDatabase access, MonitoringDatabase monitoring)
{
    /// <summary>Migrations not yet applied, in the order they would be.</summary>
    public async Task<IReadOnlyList<ModuleMigration>> PendingAsync(CancellationToken ct = default)
    {
        var pending = new List<ModuleMigration>();
        foreach (var (module, open) in Modules())
        {
            await using var context = await open(ct);
            pending.AddRange((await context.Database.GetPendingMigrationsAsync(ct)).Select(m => new ModuleMigration(module, m)));
        }
        return pending;
    }

    /// <summary>
    /// Applies every pending migration and returns what it applied. EF Core takes a database lock while it migrates,
    /// so two nodes starting at once do not apply the same migration twice. With Audit:MigrateOnStartup each module
    /// has already migrated when its database is first opened, so the list is only complete without it (the CLI's
    /// `migrate` turns it off).
    /// </summary>
    public async Task<IReadOnlyList<ModuleMigration>> MigrateAsync(CancellationToken ct = default)
    {
        var applied = new List<ModuleMigration>();
        foreach (var (module, open) in Modules())
        {
            await using var context = await open(ct);
            var pending = (await context.Database.GetPendingMigrationsAsync(ct)).ToList();
            await context.Database.MigrateAsync(ct);
            applied.AddRange(pending.Select(m => new ModuleMigration(module, m)));
        }
        return applied;
    }

    private IEnumerable<(string Module, Func<CancellationToken, Task<DbContext>> Open)> Modules() =>
    [
        ("ledger", async ct => await audit.CreateDbContextAsync(ct)),
        ("access", async ct => await access.CreateDbContextAsync(ct)),
        ("monitoring", async ct => await monitoring.CreateDbContextAsync(ct)),
    ];
}
