using System.Data.Common;
using MonitorConsole.Audit;
using MonitorConsole.Audit.Storage;
using Npgsql;

namespace MonitorConsole.Cli.SelfTest;

/// <summary>
/// A scratch schema in the user's database (needs CREATE on the database, not on the server), reached through a
/// search path that names only that schema: an unqualified table name can then resolve nowhere else, and a missing
/// schema makes CREATE TABLE fail rather than fall back to public.
/// </summary>
public sealed class PostgresScratch : ScratchSpace
{
    private readonly string _admin;
    private readonly string _schema;
    private readonly string _databaseName;

    private PostgresScratch(string id, string admin, string schema, string databaseName) : base(id)
    {
        _admin = admin;
        _schema = schema;
        _databaseName = databaseName;
        Database = new NpgsqlConnectionStringBuilder(admin) { SearchPath = schema }.ConnectionString;
    }

    public static async Task<PostgresScratch> CreateAsync(DatabaseTarget user, string id, CancellationToken ct)
    {
        var schema = NamePrefix + id;
        var admin = new NpgsqlConnectionStringBuilder(user.ConnectionString) { SearchPath = null }.ConnectionString;
        string databaseName;
        await using (var connection = new NpgsqlConnection(Unpooled(admin)))
        {
            await connection.OpenAsync(ct);
            databaseName = connection.Database;
            await using var command = new NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
            await command.ExecuteNonQueryAsync(ct);
        }
        var scratch = new PostgresScratch(id, admin, schema, databaseName);
        // Options=-c search_path=... in the user's connection string can outrank Search Path; with the user's schema
        // still on the path, a name missing from the scratch schema (the migrations history) would resolve to theirs.
        // No token from here on: once the schema exists, this method must either return it or drop it.
        var visible = await scratch.TextAsync("SELECT array_to_string(current_schemas(false), ',')", CancellationToken.None);
        if (visible == schema) return scratch;
        await scratch.DropAsync();
        throw new AuditOperationException(
            $"--db: connections with search path {schema} still see the schemas '{visible}' (does the connection string set search_path in Options?), so the selftest could reach your ledger; it stopped before writing anything");
    }

    public override DatabaseProvider Provider => DatabaseProvider.PostgreSql;

    public override string Database { get; }

    public override string Location => $"scratch schema {_schema} in database {_databaseName}";

    public override string DropHint => $"DROP SCHEMA {_schema} CASCADE";

    public override string DatabaseForWriter(int writer) =>
        new NpgsqlConnectionStringBuilder(Database) { ApplicationName = $"monitorconsole-selftest-writer-{writer}" }.ConnectionString;

    public override string DisableGuardsSql => "ALTER TABLE audit_entries DISABLE TRIGGER USER";

    public override DbConnection NewConnection() => new NpgsqlConnection(Unpooled(Database));

    protected override async Task DropDatabaseAsync()
    {
        // Idle pooled connections of the scratch ledger would otherwise linger until the pool prunes them.
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(Unpooled(_admin));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {_schema} CASCADE", connection);
        await command.ExecuteNonQueryAsync();
    }

    private static string Unpooled(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;
}
