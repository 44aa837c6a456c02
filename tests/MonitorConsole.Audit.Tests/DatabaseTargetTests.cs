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

    [Fact]
    public void AdoConnectionString_IsAccepted()
    {
        var target = DatabaseTarget.Parse("Data Source=ledger.db", "/tmp/x");
        Assert.Equal("/tmp/x/ledger.db", target.SqliteFilePath);
    }

    [Theory]
    [InlineData("mysql://u@h/db")]
    [InlineData("sqlite://relative.db")]
    [InlineData("sqlite:///:memory:")]
    [InlineData("what is this")]
    public void UnsupportedOrMalformedValues_AreRefusedNamingTheSetting(string value)
    {
        var error = Assert.Throws<AuditValidationException>(() => DatabaseTarget.Parse(value));
        Assert.Equal("database", error.Field);
    }
}
