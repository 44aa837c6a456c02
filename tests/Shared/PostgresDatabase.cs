using Npgsql;

namespace MonitorConsole.Tests.Shared;

/// <summary>
/// A fresh, empty PostgreSQL database for one test, dropped afterwards. The server comes from
/// MONITORCONSOLE_TEST_POSTGRES (an admin connection string; .ci/run installs PostgreSQL and sets it). Without it the
/// test is skipped — unless MONITORCONSOLE_REQUIRE_POSTGRES=1 (CI), where that is a failure.
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    private readonly string _admin;

    private PostgresDatabase(string admin, string name)
    {
        _admin = admin;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = true }.ConnectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public static async Task<PostgresDatabase> CreateAsync()
    {
        var admin = Environment.GetEnvironmentVariable("MONITORCONSOLE_TEST_POSTGRES");
        if (string.IsNullOrWhiteSpace(admin))
        {
            if (Environment.GetEnvironmentVariable("MONITORCONSOLE_REQUIRE_POSTGRES") == "1")
                throw new InvalidOperationException("MONITORCONSOLE_TEST_POSTGRES is not set but PostgreSQL tests are required");
            Assert.Skip("PostgreSQL tests need MONITORCONSOLE_TEST_POSTGRES (an admin connection string); .ci/run sets one up");
        }
        var database = new PostgresDatabase(admin, "mc_test_" + Guid.NewGuid().ToString("N")[..16]);
        await database.AdminAsync($"CREATE DATABASE {database.Name}");
        return database;
    }

    /// <summary>Runs SQL in this database on a connection of its own (as the admin role).</summary>
    public async Task<object?> SqlAsync(string sql)
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

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await AdminAsync($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
    }
}
