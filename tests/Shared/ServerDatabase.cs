namespace MonitorConsole.Tests.Shared;

/// <summary>
/// A fresh, empty database on a real server for one test, dropped afterwards: PostgreSQL, MySQL/MariaDB or SQL
/// Server. Each server comes from an environment variable naming an admin connection string; without it the test is
/// skipped, unless the matching MONITORCONSOLE_REQUIRE_… variable is 1 (CI), where that is a failure.
/// </summary>
public abstract class ServerDatabase : IAsyncDisposable
{
    public const string PostgreSql = "postgresql";
    public const string MySql = "mysql";
    public const string SqlServer = "sqlserver";

    /// <summary>Database name, unique per test.</summary>
    public string Name { get; } = "mc_test_" + Guid.NewGuid().ToString("N")[..16];

    /// <summary>What the console's database setting takes (a URL or a connection string).</summary>
    public abstract string Database { get; }

    /// <summary>Runs SQL in this database on a connection of its own, as the admin role; returns the first value.</summary>
    public abstract Task<object?> SqlAsync(string sql);

    public abstract ValueTask DisposeAsync();

    /// <summary>The admin connection string from <paramref name="variable"/>, or a skip (a failure where required).</summary>
    protected static string AdminConnectionString(string variable, string requireVariable, string server)
    {
        var admin = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrWhiteSpace(admin)) return admin;
        if (Environment.GetEnvironmentVariable(requireVariable) == "1")
            throw new InvalidOperationException($"{variable} is not set but {server} tests are required ({requireVariable}=1)");
        Assert.Skip($"{server} tests need {variable} (an admin connection string); .ci/run sets one up where it can");
        return "";
    }
}
