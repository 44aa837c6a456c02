using Microsoft.Data.SqlClient;

namespace MonitorConsole.Tests.Shared;

/// <summary>
/// A fresh SQL Server database from MONITORCONSOLE_TEST_SQLSERVER (an admin connection string). No SQL Server runs on
/// the build machines, so these tests skip there; MONITORCONSOLE_REQUIRE_SQLSERVER=1 makes a missing server a failure.
/// </summary>
public sealed class SqlServerDatabase : ServerDatabase
{
    private readonly string _admin;

    private SqlServerDatabase(string admin)
    {
        _admin = admin;
        ConnectionString = new SqlConnectionStringBuilder(admin) { InitialCatalog = Name }.ConnectionString;
    }

    public string ConnectionString { get; }

    public override string Database => ConnectionString;

    public static async Task<SqlServerDatabase> CreateAsync()
    {
        var database = new SqlServerDatabase(AdminConnectionString("MONITORCONSOLE_TEST_SQLSERVER", "MONITORCONSOLE_REQUIRE_SQLSERVER", "SQL Server"));
        await RunAsync(database._admin, $"CREATE DATABASE [{database.Name}]");
        return database;
    }

    public override Task<object?> SqlAsync(string sql) =>
        RunAsync(new SqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString, sql);

    private static async Task<object?> RunAsync(string connectionString, string sql)
    {
        await using var connection = new SqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new SqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        SqlConnection.ClearAllPools();
        await RunAsync(_admin, $"ALTER DATABASE [{Name}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{Name}]");
    }
}
