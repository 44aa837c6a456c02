using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using MonitorConsole.Audit.Storage;
using MonitorConsole.Access;
using MonitorConsole.Monitoring.Storage;

namespace MonitorConsole.Audit.Tests;

/// <summary>
/// The SQL each provider's migrations generate, checked without a server (none runs here for SQL Server): every
/// table, the append-only guards, the hash-prefix index.
/// </summary>
public sealed class MigrationScriptTests
{
    private static string Script<TContext>(string database, string? historyTable, Func<DbContextOptions<TContext>, TContext> create)
        where TContext : DbContext
    {
        var options = AuditDatabase.UseDatabase(new DbContextOptionsBuilder<TContext>(), DatabaseTarget.Parse(database), new AuditOptions(),
            typeof(TContext).Assembly.FullName!, historyTable).Options;
        using var context = create(options);
        return context.GetService<IMigrator>().GenerateScript();
    }

    private static string AllScripts(string database) =>
        Script<AuditDbContext>(database, null, o => new AuditDbContext(o)) +
        Script<MonitoringDbContext>(database, MonitoringDbContext.MigrationsTable, o => new MonitoringDbContext(o)) +
        Script<AccessDbContext>(database, AccessDbContext.MigrationsTable, o => new AccessDbContext(o));

    [Fact]
    public void SqlServerMigrations_CreateEveryTable_WithTheAppendOnlyGuards()
    {
        var sql = AllScripts("mssql://sa:secret@sqlserver.example:1433/monitorconsole");
        foreach (var table in new[] { "audit_entries", "audit_checkpoints", "drift_models", "drift_runs", "drift_observations", "AspNetUsers", "api_keys" })
            Assert.Contains($"CREATE TABLE [{table}]", sql);
        Assert.Contains("CREATE TRIGGER audit_entries_append_only ON audit_entries INSTEAD OF UPDATE, DELETE", sql);
        Assert.Contains("CREATE TRIGGER audit_checkpoints_append_only ON audit_checkpoints INSTEAD OF UPDATE, DELETE", sql);
        Assert.Contains("CREATE TABLE audit_entries_truncate_guard (ref bigint NULL REFERENCES audit_entries (sequence))", sql);
        Assert.Contains("entry_hash_prefix AS CAST(LEFT(entry_hash, 16) AS char(16)) PERSISTED", sql);
        Assert.Contains("[__monitoring_migrations]", sql);
        Assert.Contains("[__access_migrations]", sql);
        Assert.Contains("CREATE TRIGGER audit_entries_continue_head ON audit_entries AFTER INSERT", sql);
        Assert.Contains("CHECK (sequence >= 1)", sql);
    }

    [Fact]
    public void PostgreSqlMigrations_KeepTheirTriggersOnUnderReplicationRole()
    {
        var sql = AllScripts("postgresql://u:p@pg.example/monitorconsole");
        Assert.Contains("CREATE TABLE audit_entries", sql);
        Assert.Contains("BEFORE TRUNCATE ON audit_entries", sql);
        Assert.Contains("ALTER TABLE audit_entries ENABLE ALWAYS TRIGGER audit_entries_no_change", sql);
        Assert.Contains("ALTER TABLE audit_checkpoints ENABLE ALWAYS TRIGGER audit_checkpoints_no_truncate", sql);
        Assert.Contains("substr(entry_hash, 1, 16)", sql);
        Assert.Contains("REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION monitorconsole_continue_head()", sql);
        Assert.Contains("CREATE UNIQUE INDEX ux_audit_entries_entry_hash_prefix ON audit_entries (substr(entry_hash, 1, 16)) WHERE sequence >= 1", sql);
        Assert.Contains("ENABLE ALWAYS TRIGGER audit_entries_continue_head", sql);
        Assert.Contains("CHECK (sequence >= 1) NOT VALID", sql);
    }

    [Fact]
    public void SqlServer_IsRefusedAtRunTime_WithAMessageThatSaysWhy()
    {
        var database = new AuditDatabase(Microsoft.Extensions.Options.Options.Create(new AuditOptions { Database = "mssql://sa:x@localhost/db" }));
        var error = Assert.Throws<AuditOperationException>(database.EnsureInitialized);
        Assert.Contains("not yet written for T-SQL", error.Message);
    }
}
