using System.Data.Common;
using System.Globalization;
using MonitorConsole.Audit;
using MonitorConsole.Audit.Storage;

namespace MonitorConsole.Cli.SelfTest;

/// <summary>
/// A place on the user's database server where the selftest builds a ledger of its own: the ledger's table names are
/// fixed, so the scratch ledger lives in another namespace (a file, a schema, a database) that the user's ledger never
/// shares. Each provider is one small subclass: create the namespace, say how to connect into it, how an insider
/// switches the append-only guard off, and how to drop it.
/// </summary>
public abstract class ScratchSpace
{
    /// <summary>What scratch namespaces are called, so a leftover one (after a kill -9) is recognisable.</summary>
    public const string NamePrefix = "monitorconsole_selftest_";

    protected ScratchSpace(string id)
    {
        Id = id;
        Files = Path.Combine(Path.GetTempPath(), "monitorconsole-selftest-" + id);
        Directory.CreateDirectory(Files);
    }

    /// <summary>Random part of the scratch names (16 hex digits).</summary>
    public string Id { get; }

    /// <summary>Temporary folder for the checkpoint keys and the export file: never the user's key folder.</summary>
    public string Files { get; }

    public abstract DatabaseProvider Provider { get; }

    /// <summary>The connection string the selftest's ledger services are given (the scratch namespace, never the user's).</summary>
    public abstract string Database { get; }

    /// <summary>Where the scratch ledger is, in words.</summary>
    public abstract string Location { get; }

    /// <summary>How to remove a kept scratch ledger by hand.</summary>
    public abstract string DropHint { get; }

    /// <summary>
    /// The connection string of the n-th concurrent writer. Where the driver pools per connection string, a distinct
    /// string gives each writer a pool of its own, as separate processes would have.
    /// </summary>
    public virtual string DatabaseForWriter(int writer) => Database;

    /// <summary>SQL that switches off the database's append-only guard on audit_entries, as the tables' owner can.</summary>
    public abstract string DisableGuardsSql { get; }

    /// <summary>An unpooled connection into the scratch namespace, for SQL that goes around the ledger's services.</summary>
    public abstract DbConnection NewConnection();

    /// <summary>Removes the scratch namespace and the temporary folder. Runs after cancellation, so it takes no token.</summary>
    public async Task DropAsync()
    {
        await DropDatabaseAsync();
        if (Directory.Exists(Files)) Directory.Delete(Files, recursive: true);
    }

    protected abstract Task DropDatabaseAsync();

    /// <summary>A scratch space beside the ledger that <paramref name="user"/> names.</summary>
    public static async Task<ScratchSpace> CreateAsync(DatabaseTarget user, CancellationToken ct)
    {
        var id = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
        return user.Provider switch
        {
            DatabaseProvider.Sqlite => SqliteScratch.Create(user, id),
            DatabaseProvider.PostgreSql => await PostgresScratch.CreateAsync(user, id, ct),
            DatabaseProvider.SqlServer => await SqlServerScratch.CreateAsync(user, id, ct),
            DatabaseProvider.MySql => await MySqlScratch.CreateAsync(user, id, ct),
            _ => throw new AuditValidationException("database", $"selftest does not support {user.Provider} databases yet"),
        };
    }

    /// <summary>Runs one statement in the scratch namespace on a connection of its own.</summary>
    public async Task ExecuteAsync(string sql, CancellationToken ct)
    {
        await using var connection = NewConnection();
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The first column of the first row, as a 64-bit number (null when the database answers NULL).</summary>
    public async Task<long?> NumberAsync(string sql, CancellationToken ct)
    {
        await using var connection = NewConnection();
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var value = await command.ExecuteScalarAsync(ct);
        return value is null or DBNull ? null : Convert.ToInt64(value, CultureInfo.InvariantCulture);
    }

    /// <summary>The first column of the first row, as text.</summary>
    public async Task<string?> TextAsync(string sql, CancellationToken ct)
    {
        await using var connection = NewConnection();
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var value = await command.ExecuteScalarAsync(ct);
        return value is null or DBNull ? null : Convert.ToString(value, CultureInfo.InvariantCulture);
    }
}
