using System.Text.Json;
using MonitorConsole.Tests.Shared;

namespace MonitorConsole.Cli.Tests;

/// <summary>
/// Several processes writing one ledger on a database server, one of them killed halfway: the same test on each server
/// (one subclass per server), skipped unless its server is configured.
/// </summary>
public abstract class ServerCliTests : IDisposable
{
    private readonly CliRunner _cli = new();

    protected abstract string Server { get; }

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Migrate_OnPostgreSql_AppliesEveryModuleOnce_AndBackupPointsToPgDump()
    {
        await using var pg = await PostgresDatabase.CreateAsync();
        _cli.Database = pg.ConnectionString;
        Assert.Equal(1, (await _cli.RunAsync("migrate", "--check")).Code);
        var first = await _cli.RunAsync("migrate");
        Assert.True(first.Code == 0, first.Out + first.Err);
        Assert.Contains("applied: ledger", first.Out);
        Assert.Contains("applied: monitoring", first.Out);
        Assert.DoesNotContain("applied:", (await _cli.RunAsync("migrate")).Out);

        var backup = await _cli.RunAsync("audit", "backup", "--out", Path.Combine(_cli.Folder, "pg.db"));
        Assert.Equal(2, backup.Code);
        Assert.Contains("pg_dump", backup.Err);
        Assert.Equal(0L, Convert.ToInt64(await pg.SqlAsync("SELECT COUNT(*) FROM audit_entries"), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task ProcessesAppendingAtOnce_OneKilledMidStream_NeverForkAndLoseNothingCommitted()
    {
        await using var db = await ServerDatabases.CreateAsync(Server);
        _cli.Database = db.Database;
        Assert.Equal(0, (await _cli.RunAsync("audit", "append", "--action", "START", "--actor", "tests", "--resource-type", "ledger")).Code);
        const int processes = 3, linesEach = 600, batch = 20;
        var files = Enumerable.Range(0, processes).Select(p => _cli.WriteFile($"p{p}.jsonl", string.Join('\n',
            Enumerable.Range(0, linesEach).Select(i => $$$"""{"action":"UPDATE","actor":"process_{{{p}}}","resource_type":"model","data":{"i":{{{i}}}}}""")))).ToList();

        var running = files.Select(f => _cli.StartProcess("audit", "import", f, "--batch-size", batch.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList();
        // Kill the last writer once it has committed a few batches, in the middle of its stream.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await CountAsync(db, "process_2") < 3 * batch && DateTime.UtcNow < deadline) await Task.Delay(20);
        running[2].Kill(entireProcessTree: true);
        await running[2].WaitForExitAsync();
        var committedBeforeKill = await CountAsync(db, "process_2");
        foreach (var process in running.Take(2))
        {
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, await process.StandardError.ReadToEndAsync());
        }

        Assert.Equal(linesEach, await CountAsync(db, "process_0"));
        Assert.Equal(linesEach, await CountAsync(db, "process_1"));
        var killed = await CountAsync(db, "process_2");
        Assert.True(killed >= committedBeforeKill && killed % batch == 0, $"{killed} entries of the killed process: not whole batches");
        var verify = await _cli.RunAsync("audit", "verify", "--json");
        Assert.True(verify.Code == 0, verify.Out);
        Assert.Equal(1 + 2 * linesEach + killed, JsonDocument.Parse(verify.Out).RootElement.GetProperty("total_entries").GetInt64());
    }

    private static async Task<long> CountAsync(ServerDatabase db, string actor)
    {
        try
        {
            return Convert.ToInt64(await db.SqlAsync($"SELECT COUNT(*) FROM audit_entries WHERE actor = '{actor}'"), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (System.Data.Common.DbException)
        {
            return 0; // not migrated yet (the table is missing); a lasting error fails the assertions below
        }
    }
}

public sealed class PostgresCliTests : ServerCliTests
{
    protected override string Server => ServerDatabase.PostgreSql;
}

public sealed class MySqlCliTests : ServerCliTests
{
    protected override string Server => ServerDatabase.MySql;
}

public sealed class SqlServerCliTests : ServerCliTests
{
    protected override string Server => ServerDatabase.SqlServer;
}
