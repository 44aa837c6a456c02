using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
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

    /// <summary>
    /// The commands the migrator sends, one by one, for every migration of every context: what a server receives
    /// (a script adds its own batch separators around them).
    /// </summary>
    public static IReadOnlyList<string> CommandsFor(string database)
    {
        var commands = new List<string>();
        Collect<AuditDbContext>(database, null, o => new AuditDbContext(o), commands);
        Collect<MonitoringDbContext>(database, MonitoringDbContext.MigrationsTable, o => new MonitoringDbContext(o), commands);
        Collect<AccessDbContext>(database, AccessDbContext.MigrationsTable, o => new AccessDbContext(o), commands);
        return commands;
    }

    private static void Collect<TContext>(string database, string? historyTable, Func<DbContextOptions<TContext>, TContext> create, List<string> commands)
        where TContext : DbContext
    {
        var options = AuditDatabase.UseDatabase(new DbContextOptionsBuilder<TContext>(), DatabaseTarget.Parse(database), new AuditOptions(),
            typeof(TContext).Assembly.FullName!, historyTable).Options;
        using var context = create(options);
        var migrations = context.GetService<IMigrationsAssembly>();
        var generator = context.GetService<IMigrationsSqlGenerator>();
        var initializer = context.GetService<IModelRuntimeInitializer>();
        foreach (var (_, type) in migrations.Migrations)
        {
            var migration = migrations.CreateMigration(type, context.Database.ProviderName!);
            var model = migration.TargetModel is { } target
                ? initializer.Initialize(target is IMutableModel mutable ? mutable.FinalizeModel() : target, designTime: true, validationLogger: null)
                : null;
            commands.AddRange(generator.Generate(migration.UpOperations, model).Select(c => c.CommandText));
        }
    }

    /// <summary>Each context's whole migration script for the provider of <paramref name="database"/>.</summary>
    public static IReadOnlyList<string> ScriptsFor(string database) =>
    [
        Script<AuditDbContext>(database, null, o => new AuditDbContext(o)),
        Script<MonitoringDbContext>(database, MonitoringDbContext.MigrationsTable, o => new MonitoringDbContext(o)),
        Script<AccessDbContext>(database, AccessDbContext.MigrationsTable, o => new AccessDbContext(o)),
    ];

    private static string AllScripts(string database) => string.Concat(ScriptsFor(database));

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
    public void SqlServerMigrations_AllowSnapshotReads()
    {
        var sql = AllScripts("mssql://sa:secret@sqlserver.example:1433/monitorconsole");
        Assert.Contains("SET ALLOW_SNAPSHOT_ISOLATION ON", sql);
    }

    [Fact]
    public void MySqlMigrations_CreateEveryTable_Utf8mb4Binary_WithTheGuards()
    {
        var sql = AllScripts("mysql://u:p@mysql.example:3306/monitorconsole");
        foreach (var table in new[] { "audit_entries", "audit_checkpoints", "drift_models", "drift_runs", "drift_observations", "AspNetUsers", "api_keys" })
            Assert.Matches($@"CREATE TABLE `{table}` \((?s:.*?)\) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;", sql);
        Assert.Contains("CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries FOR EACH ROW", sql);
        Assert.Contains("CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries FOR EACH ROW", sql);
        Assert.Contains("CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints FOR EACH ROW", sql);
        Assert.Contains("CREATE TRIGGER audit_entries_continue_head BEFORE INSERT ON audit_entries FOR EACH ROW", sql);
        Assert.Contains("CREATE UNIQUE INDEX ux_audit_entries_entry_hash_prefix ON audit_entries (entry_hash(16))", sql);
        Assert.Contains("CHECK (sequence >= 1)", sql);
        Assert.Contains("`__monitoring_migrations`", sql);
        Assert.Contains("`__access_migrations`", sql);
        Assert.DoesNotContain(" datetime NULL", sql);
        Assert.DoesNotContain(" datetime NOT NULL", sql);
    }
}
