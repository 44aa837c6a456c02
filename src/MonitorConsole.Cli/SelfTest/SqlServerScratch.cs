using System.Data.Common;
using Microsoft.Data.SqlClient;
using MonitorConsole.Audit.Storage;

namespace MonitorConsole.Cli.SelfTest;

/// <summary>
/// A scratch database on the user's SQL Server (needs CREATE DATABASE): a login's default schema is not something a
/// connection string can change, so a schema would not keep unqualified names away from the user's tables.
/// Not run here (no SQL Server on the build machine).
/// </summary>
public sealed class SqlServerScratch : ScratchSpace
{
    private readonly string _admin;
    private readonly string _database;

    private SqlServerScratch(string id, string admin, string database) : base(id)
    {
        _admin = admin;
        _database = database;
        Database = new SqlConnectionStringBuilder(admin) { InitialCatalog = database }.ConnectionString;
    }

    public static async Task<SqlServerScratch> CreateAsync(DatabaseTarget user, string id, CancellationToken ct)
    {
        var database = NamePrefix + id;
        await using (var connection = new SqlConnection(Unpooled(user.ConnectionString)))
        {
            await connection.OpenAsync(ct);
            await using var command = new SqlCommand($"CREATE DATABASE [{database}]", connection);
            await command.ExecuteNonQueryAsync(ct);
        }
        return new SqlServerScratch(id, user.ConnectionString, database);
    }

    public override DatabaseProvider Provider => DatabaseProvider.SqlServer;

    public override string Database { get; }

    public override string Location => $"scratch database {_database}";

    public override string DropHint => $"DROP DATABASE [{_database}]";

    public override string DisableGuardsSql => "DISABLE TRIGGER ALL ON audit_entries";

    public override DbConnection NewConnection() => new SqlConnection(Unpooled(Database));

    protected override async Task DropDatabaseAsync()
    {
        SqlConnection.ClearAllPools();
        await using var connection = new SqlConnection(Unpooled(_admin));
        await connection.OpenAsync();
        await using var command = new SqlCommand(
            $"IF DB_ID(N'{_database}') IS NOT NULL BEGIN ALTER DATABASE [{_database}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{_database}]; END",
            connection);
        await command.ExecuteNonQueryAsync();
    }

    private static string Unpooled(string connectionString) =>
        new SqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;
}
