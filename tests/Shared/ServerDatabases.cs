namespace MonitorConsole.Tests.Shared;

/// <summary>A fresh database on the named kind of server (its own file, so a project may link only the servers it needs).</summary>
public static class ServerDatabases
{
    public static Task<ServerDatabase> CreateAsync(string kind) => kind switch
    {
        ServerDatabase.PostgreSql => Upcast(PostgresDatabase.CreateAsync()),
        ServerDatabase.MySql => Upcast(MySqlDatabase.CreateAsync()),
        ServerDatabase.SqlServer => Upcast(SqlServerDatabase.CreateAsync()),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no such server kind"),
    };

    private static async Task<ServerDatabase> Upcast<T>(Task<T> database) where T : ServerDatabase => await database;
}
