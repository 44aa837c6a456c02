using MySqlConnector;

namespace MonitorConsole.Tests.Shared;

/// <summary>
/// A fresh MySQL or MariaDB database from MONITORCONSOLE_TEST_MYSQL (.ci/run installs MariaDB and sets it); required
/// when MONITORCONSOLE_REQUIRE_MYSQL=1. The database is created with the server's usual case-insensitive collation,
/// so the tests show the console's tables do not depend on the database's defaults. The console is given a mysql://
/// URL, as an operator would.
/// </summary>
public sealed class MySqlDatabase : ServerDatabase
{
    private readonly MySqlConnectionStringBuilder _admin;

    private MySqlDatabase(string admin) => _admin = new MySqlConnectionStringBuilder(admin) { Pooling = false };

    public override string Database =>
        $"mysql://{Uri.EscapeDataString(_admin.UserID)}:{Uri.EscapeDataString(_admin.Password)}@{_admin.Server}:{_admin.Port}/{Name}";

    public static async Task<MySqlDatabase> CreateAsync()
    {
        var database = new MySqlDatabase(AdminConnectionString("MONITORCONSOLE_TEST_MYSQL", "MONITORCONSOLE_REQUIRE_MYSQL", "MySQL/MariaDB"));
        await database.RunAsync(null, $"CREATE DATABASE {database.Name} CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci");
        return database;
    }

    public override Task<object?> SqlAsync(string sql) => RunAsync(Name, sql);

    private async Task<object?> RunAsync(string? database, string sql)
    {
        var builder = new MySqlConnectionStringBuilder(_admin.ConnectionString) { Database = database ?? "" };
        await using var connection = new MySqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        MySqlConnection.ClearAllPools();
        await RunAsync(null, $"DROP DATABASE IF EXISTS {Name}");
    }
}
