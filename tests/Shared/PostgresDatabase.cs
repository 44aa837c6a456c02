using Npgsql;

namespace MonitorConsole.Tests.Shared;

/// <summary>
/// A fresh PostgreSQL database from MONITORCONSOLE_TEST_POSTGRES (.ci/run installs PostgreSQL and sets it); required
/// when MONITORCONSOLE_REQUIRE_POSTGRES=1.
/// </summary>
public sealed class PostgresDatabase : ServerDatabase
{
    private readonly string _admin;

    private PostgresDatabase(string admin)
    {
        _admin = admin;
        ConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = Name, Pooling = true }.ConnectionString;
    }

    public string ConnectionString { get; }

    public override string Database => ConnectionString;

    public static async Task<PostgresDatabase> CreateAsync()
    {
        var admin = AdminConnectionString("MONITORCONSOLE_TEST_POSTGRES", "MONITORCONSOLE_REQUIRE_POSTGRES", "PostgreSQL");
        var database = new PostgresDatabase(admin);
        await database.AdminAsync($"CREATE DATABASE {database.Name}");
        return database;
    }

    public override async Task<object?> SqlAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    private async Task AdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_admin) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await AdminAsync($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
    }
}
