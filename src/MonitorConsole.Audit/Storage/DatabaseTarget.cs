namespace MonitorConsole.Audit.Storage;

public enum DatabaseProvider
{
    Sqlite,
    PostgreSql,

    /// <summary>
    /// SQL Server: the ledger's statements are written in T-SQL and parse-checked here; behaviour is proven only where
    /// a server is at hand (MONITORCONSOLE_TEST_SQLSERVER), since none runs on the build machines.
    /// </summary>
    SqlServer,

    /// <summary>MySQL 8 or MariaDB 10.11+ (the conformance suite runs against MariaDB).</summary>
    MySql,
}

/// <summary>Which database, and the ADO.NET connection string for it.</summary>
public sealed record DatabaseTarget(DatabaseProvider Provider, string ConnectionString)
{
    /// <summary>
    /// Reads a seed-style URL the way SQLAlchemy does (sqlite:///relative.db, sqlite:////absolute.db,
    /// postgresql://user:pass@host:5432/db, mysql://user:pass@host:3306/db, mssql://user:pass@host:1433/db; a
    /// "+driver" suffix such as mysql+pymysql:// is ignored) or an ADO.NET connection string (SQLite, PostgreSQL or
    /// SQL Server; MySQL only as a URL, since its keywords are PostgreSQL's too).
    /// </summary>
    public static DatabaseTarget Parse(string value, string? baseDirectory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        value = value.Trim();
        var schemeEnd = value.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0) return FromConnectionString(value, baseDirectory);

        var scheme = value[..schemeEnd].ToLowerInvariant();
        var driver = scheme.Split('+')[0];
        return driver switch
        {
            "sqlite" => Sqlite(SqlitePathFromUrl(value[(schemeEnd + 3)..]), baseDirectory),
            "postgresql" or "postgres" => Postgres(PostgresFromUrl(value)),
            "mssql" or "sqlserver" => new DatabaseTarget(DatabaseProvider.SqlServer, SqlServerFromUrl(value)),
            "mysql" or "mariadb" => MySql(MySqlFromUrl(value)),
            _ => throw new AuditValidationException("database", $"URL scheme '{scheme}' is not supported (use sqlite:///, postgresql://, mysql://, mariadb:// or mssql://)"),
        };
    }

    public static DatabaseTarget Sqlite(string path, string? baseDirectory = null)
    {
        if (path == ":memory:") throw new AuditValidationException("database", "an in-memory SQLite database cannot hold a ledger");
        var full = Path.IsPathRooted(path) ? path : Path.GetFullPath(path, baseDirectory ?? Directory.GetCurrentDirectory());
        return new DatabaseTarget(DatabaseProvider.Sqlite, $"Data Source={full}");
    }

    /// <summary>The SQLite file path, for creating its folder; null for other providers.</summary>
    public string? SqliteFilePath =>
        Provider == DatabaseProvider.Sqlite
            ? new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(ConnectionString).DataSource
            : null;

    /// <summary>
    /// A PostgreSQL target. Unless the connection string says otherwise, each process keeps at most 20 connections:
    /// several console instances share the server's connection limit (100 by default), and a request that finds the
    /// pool busy waits for a connection rather than failing.
    /// </summary>
    public static DatabaseTarget Postgres(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("pool size", StringComparison.OrdinalIgnoreCase) && !connectionString.Contains("maxpoolsize", StringComparison.OrdinalIgnoreCase))
            builder.MaxPoolSize = DefaultMaxPoolSize;
        return new DatabaseTarget(DatabaseProvider.PostgreSql, builder.ConnectionString);
    }

    public const int DefaultMaxPoolSize = 20;

    /// <summary>A MySQL or MariaDB target, with the same pool limit as PostgreSQL unless the string sets one.</summary>
    public static DatabaseTarget MySql(string connectionString)
    {
        var builder = new MySqlConnector.MySqlConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("pool size", StringComparison.OrdinalIgnoreCase) && !connectionString.Contains("maxpoolsize", StringComparison.OrdinalIgnoreCase))
            builder.MaximumPoolSize = DefaultMaxPoolSize;
        return new DatabaseTarget(DatabaseProvider.MySql, builder.ConnectionString);
    }

    private static string SqlitePathFromUrl(string rest)
    {
        // sqlite:///relative.db -> rest "/relative.db"; sqlite:////abs.db -> rest "//abs.db".
        var query = rest.IndexOf('?');
        if (query >= 0) rest = rest[..query];
        if (!rest.StartsWith('/')) throw new AuditValidationException("database", "a sqlite URL needs three slashes: sqlite:///path/to/file.db");
        var path = Uri.UnescapeDataString(rest[1..]);
        if (path.Length == 0) throw new AuditValidationException("database", "the sqlite URL names no file");
        return path;
    }

    private static string PostgresFromUrl(string url)
    {
        var normalized = "postgresql" + url[url.IndexOf("://", StringComparison.Ordinal)..];
        if (!Uri.TryCreate(normalized, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            throw new AuditValidationException("database", "the postgresql URL is malformed (expected postgresql://user:pass@host:5432/db)");
        var parts = new List<string> { $"Host={uri.Host}" };
        if (!uri.IsDefaultPort && uri.Port > 0) parts.Add($"Port={uri.Port}");
        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0) parts.Add($"Database={database}");
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':');
            var user = colon < 0 ? uri.UserInfo : uri.UserInfo[..colon];
            parts.Add($"Username={Uri.UnescapeDataString(user)}");
            if (colon >= 0) parts.Add($"Password={Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..])}");
        }
        return string.Join(';', parts);
    }

    /// <summary>
    /// mysql://user:pass@host:3306/db as SQLAlchemy reads it: port 3306 unless given, user and password URL-decoded,
    /// the database required (the ledger's tables need one to live in). Query options are not read.
    /// </summary>
    private static string MySqlFromUrl(string url)
    {
        var normalized = "mysql" + url[url.IndexOf("://", StringComparison.Ordinal)..];
        if (!Uri.TryCreate(normalized, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            throw new AuditValidationException("database", "the mysql URL is malformed (expected mysql://user:pass@host:3306/db)");
        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length == 0)
            throw new AuditValidationException("database", "the mysql URL names no database (expected mysql://user:pass@host:3306/db)");
        var builder = new MySqlConnector.MySqlConnectionStringBuilder
        {
            Server = uri.Host,
            Port = uri.Port > 0 ? (uint)uri.Port : 3306,
            Database = database,
        };
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':');
            builder.UserID = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0) builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        }
        foreach (var (key, value) in QueryOf(uri)) ApplyMySqlOption(builder, key, value);
        return builder.ConnectionString;
    }

    private static IEnumerable<(string Key, string Value)> QueryOf(Uri uri) =>
        uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries).Select(pair =>
        {
            var equals = pair.IndexOf('=');
            return equals < 0
                ? (Uri.UnescapeDataString(pair), "")
                : (Uri.UnescapeDataString(pair[..equals]), Uri.UnescapeDataString(pair[(equals + 1)..]));
        });

    /// <summary>
    /// TLS settings in a mysql URL, named as MySQL's own clients name them (ssl-mode=VERIFY_IDENTITY, ssl-ca=/path) or as
    /// SQLAlchemy passes them (ssl_ca): without a way to ask for certificate checks, the connection would be open to a
    /// man in the middle.
    /// </summary>
    private static void ApplyMySqlOption(MySqlConnector.MySqlConnectionStringBuilder builder, string key, string value)
    {
        switch (key.ToLowerInvariant().Replace('_', '-'))
        {
            case "ssl-mode" or "sslmode":
                builder.SslMode = value.ToUpperInvariant().Replace('-', '_') switch
                {
                    "DISABLED" or "NONE" => MySqlConnector.MySqlSslMode.None,
                    "PREFERRED" => MySqlConnector.MySqlSslMode.Preferred,
                    "REQUIRED" => MySqlConnector.MySqlSslMode.Required,
                    "VERIFY_CA" => MySqlConnector.MySqlSslMode.VerifyCA,
                    "VERIFY_IDENTITY" or "VERIFY_FULL" => MySqlConnector.MySqlSslMode.VerifyFull,
                    _ => throw new AuditValidationException("database", $"ssl-mode '{value}' is not one of DISABLED, PREFERRED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY"),
                };
                break;
            case "ssl-ca":
                builder.SslCa = value;
                break;
            case "charset" when value.Equals("utf8mb4", StringComparison.OrdinalIgnoreCase):
                break; // what the console uses anyway; SQLAlchemy URLs often say it
            default:
                throw new AuditValidationException("database", $"the mysql URL option '{key}' is not understood (ssl-mode and ssl-ca are)");
        }
    }

    private static string SqlServerFromUrl(string url)
    {
        var uri = new Uri("mssql" + url[url.IndexOf("://", StringComparison.Ordinal)..]);
        var builder = new Microsoft.Data.SqlClient.SqlConnectionStringBuilder
        {
            DataSource = uri.IsDefaultPort || uri.Port <= 0 ? uri.Host : $"{uri.Host},{uri.Port}",
            InitialCatalog = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')),
        };
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':');
            builder.UserID = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0) builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        }
        else
        {
            builder.IntegratedSecurity = true;
        }
        return builder.ConnectionString;
    }

    private static DatabaseTarget FromConnectionString(string value, string? baseDirectory)
    {
        var lower = value.ToLowerInvariant();
        if (lower.Contains("initial catalog=") || lower.Contains("trusted_connection=") || lower.Contains("integrated security="))
            return new DatabaseTarget(DatabaseProvider.SqlServer, value);
        if (lower.Contains("host=") || lower.Contains("server=")) return Postgres(value);
        if (lower.Contains("data source=") || lower.Contains("datasource=") || lower.Contains("filename="))
        {
            var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(value);
            if (!Path.IsPathRooted(builder.DataSource) && builder.DataSource != ":memory:")
                builder.DataSource = Path.GetFullPath(builder.DataSource, baseDirectory ?? Directory.GetCurrentDirectory());
            return new DatabaseTarget(DatabaseProvider.Sqlite, builder.ConnectionString);
        }
        if (lower.EndsWith(".db") || lower.EndsWith(".sqlite") || lower.EndsWith(".sqlite3")) return Sqlite(value, baseDirectory);
        throw new AuditValidationException("database", "not a recognised URL or connection string (use sqlite:///file.db, postgresql://..., or Data Source=file.db)");
    }
}
