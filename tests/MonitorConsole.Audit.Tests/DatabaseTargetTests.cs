using MonitorConsole.Audit.Storage;

namespace MonitorConsole.Audit.Tests;

public sealed class DatabaseTargetTests
{
    [Fact]
    public void SqliteUrl_WithThreeSlashes_IsRelativeToTheBaseDirectory()
    {
        var target = DatabaseTarget.Parse("sqlite:///data/audit.db", "/srv/app");
        Assert.Equal(DatabaseProvider.Sqlite, target.Provider);
        Assert.Equal("/srv/app/data/audit.db", target.SqliteFilePath);
    }

    [Fact]
    public void SqliteUrl_WithFourSlashes_IsAbsolute()
    {
        var target = DatabaseTarget.Parse("sqlite:////var/lib/audit.db", "/srv/app");
        Assert.Equal("/var/lib/audit.db", target.SqliteFilePath);
    }

    [Fact]
    public void PostgresUrl_BecomesAnNpgsqlConnectionString()
    {
        var target = DatabaseTarget.Parse("postgresql://user:p%40ss@db.example:5433/audit");
        Assert.Equal(DatabaseProvider.PostgreSql, target.Provider);
        Assert.Equal("Host=db.example;Port=5433;Database=audit;Username=user;Password=p@ss;Maximum Pool Size=20", target.ConnectionString);
    }

    [Fact]
    public void PostgresPoolSize_DefaultsToTwenty_UnlessTheConnectionStringSetsIt()
    {
        Assert.Contains("Maximum Pool Size=5", DatabaseTarget.Parse("Host=db;Database=a;Maximum Pool Size=5").ConnectionString);
        Assert.Contains("Maximum Pool Size=20", DatabaseTarget.Parse("Host=db;Database=a").ConnectionString);
    }

    [Theory]
    [InlineData("mysql://user:p%40ss@db.example:3307/audit", 3307u)]
    [InlineData("mysql+pymysql://user:p%40ss@db.example/audit", 3306u)]
    [InlineData("mariadb://user:p%40ss@db.example/audit", 3306u)]
    [InlineData("mariadb+mariadbconnector://user:p%40ss@db.example:3306/audit?charset=utf8mb4", 3306u)]
    public void MySqlUrls_AreReadAsSqlAlchemyReadsThem(string url, uint port)
    {
        var target = DatabaseTarget.Parse(url);
        Assert.Equal(DatabaseProvider.MySql, target.Provider);
        var builder = new MySqlConnector.MySqlConnectionStringBuilder(target.ConnectionString);
        Assert.Equal(("db.example", port, "audit", "user", "p@ss", 20u),
            (builder.Server, builder.Port, builder.Database, builder.UserID, builder.Password, builder.MaximumPoolSize));
    }

    [Theory]
    [InlineData("mysql://u:p@db.example/audit?ssl-mode=VERIFY_IDENTITY&ssl-ca=/etc/ssl/db-ca.pem", "VerifyFull")]
    [InlineData("mysql+pymysql://u:p@db.example/audit?ssl_mode=verify_ca&ssl_ca=%2Fetc%2Fssl%2Fdb-ca.pem", "VerifyCA")]
    public void MySqlUrl_CarriesTlsVerification(string url, string mode)
    {
        var builder = new MySqlConnector.MySqlConnectionStringBuilder(DatabaseTarget.Parse(url).ConnectionString);

        Assert.Equal(mode, builder.SslMode.ToString());
        Assert.Equal("/etc/ssl/db-ca.pem", builder.SslCa);
    }

    [Theory]
    [InlineData("mysql://u:p@db.example/audit?ssl-mode=sometimes", "ssl-mode 'sometimes'")]
    [InlineData("mysql://u:p@db.example/audit?connect_timeout=5", "option 'connect_timeout' is not understood")]
    public void MySqlUrl_WithAnOptionItCannotHonour_IsRefusedSayingWhich(string url, string says)
    {
        var error = Assert.Throws<AuditValidationException>(() => DatabaseTarget.Parse(url));

        Assert.Equal("database", error.Field);
        Assert.Contains(says, error.Message);
    }

    [Fact]
    public void SqlServerUrl_BecomesASqlClientConnectionString()
    {
        var target = DatabaseTarget.Parse("mssql://sa:s%3Bcret@sql.example:1444/audit");
        Assert.Equal(DatabaseProvider.SqlServer, target.Provider);
        var builder = new Microsoft.Data.SqlClient.SqlConnectionStringBuilder(target.ConnectionString);
        Assert.Equal(("sql.example,1444", "audit", "sa", "s;cret"), (builder.DataSource, builder.InitialCatalog, builder.UserID, builder.Password));
    }

    [Fact]
    public void AdoConnectionString_IsAccepted()
    {
        var target = DatabaseTarget.Parse("Data Source=ledger.db", "/tmp/x");
        Assert.Equal("/tmp/x/ledger.db", target.SqliteFilePath);
    }

    [Theory]
    [InlineData("oracle://u@h/db")]
    [InlineData("mysql://u@h")]
    [InlineData("mysql://u@h/")]
    [InlineData("sqlite://relative.db")]
    [InlineData("sqlite:///:memory:")]
    [InlineData("what is this")]
    public void UnsupportedOrMalformedValues_AreRefusedNamingTheSetting(string value)
    {
        var error = Assert.Throws<AuditValidationException>(() => DatabaseTarget.Parse(value));
        Assert.Equal("database", error.Field);
    }
}
