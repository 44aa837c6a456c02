using System.Data.Common;
using MonitorConsole.Audit.Storage;
using MySqlConnector;

namespace MonitorConsole.Cli.SelfTest;

/// <summary>
/// A scratch database on the user's MySQL or MariaDB server (needs CREATE and DROP on it): in MySQL a database is
/// the namespace, and a connection whose default database is the scratch one resolves unqualified names only there.
/// </summary>
public sealed class MySqlScratch : ScratchSpace
{
    private readonly string _admin;
    private readonly string _database;

    private MySqlScratch(string id, string admin, string database) : base(id)
    {
        _admin = admin;
        _database = database;
        // The console takes MySQL targets as URLs only (their connection strings read like PostgreSQL's), and the URL
        // form carries everything the user's URL could: user, password, host, port, database.
        var builder = new MySqlConnectionStringBuilder(admin);
        Database = $"mysql://{Uri.EscapeDataString(builder.UserID)}:{Uri.EscapeDataString(builder.Password)}@{builder.Server}:{builder.Port}/{database}";
        _connectionString = new MySqlConnectionStringBuilder(admin) { Database = database }.ConnectionString;
    }

    private readonly string _connectionString;

    public static async Task<MySqlScratch> CreateAsync(DatabaseTarget user, string id, CancellationToken ct)
    {
        var database = NamePrefix + id;
        var admin = new MySqlConnectionStringBuilder(user.ConnectionString) { Database = "" }.ConnectionString;
        await using (var connection = new MySqlConnection(Unpooled(admin)))
        {
            await connection.OpenAsync(ct);
            await using var command = new MySqlCommand($"CREATE DATABASE `{database}` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin", connection);
            await command.ExecuteNonQueryAsync(ct);
        }
        return new MySqlScratch(id, admin, database);
    }

    public override DatabaseProvider Provider => DatabaseProvider.MySql;

    public override string Database { get; }

    public override string Location => $"scratch database {_database}";

    public override string DropHint => $"DROP DATABASE `{_database}`";

    // MySQL cannot disable a trigger; the tables' owner drops them (and the sequence check and unique hash index).
    public override string DisableGuardsSql =>
        "DROP TRIGGER IF EXISTS audit_entries_no_update; DROP TRIGGER IF EXISTS audit_entries_no_delete; " +
        "DROP TRIGGER IF EXISTS audit_entries_continue_head";

    public override DbConnection NewConnection() => new MySqlConnection(Unpooled(_connectionString));

    protected override async Task DropDatabaseAsync()
    {
        MySqlConnection.ClearAllPools();
        await using var connection = new MySqlConnection(Unpooled(_admin));
        await connection.OpenAsync();
        await using var command = new MySqlCommand($"DROP DATABASE IF EXISTS `{_database}`", connection);
        await command.ExecuteNonQueryAsync();
    }

    private static string Unpooled(string connectionString) =>
        new MySqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;
}
