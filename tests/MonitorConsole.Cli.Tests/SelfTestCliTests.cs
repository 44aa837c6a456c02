using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using MonitorConsole.Tests.Shared;

namespace MonitorConsole.Cli.Tests;

/// <summary>`selftest`: every check passes on a sound database, the user's ledger is untouched, nothing is left behind.</summary>
public sealed partial class SelfTestCliTests : IDisposable
{
    private static readonly string[] Checks =
        ["migrate", "append", "concurrent writers", "verify", "append-only", "rollback", "checkpoint", "export", "tamper detection"];

    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Selftest_OnSqlite_PassesEveryCheck_LeavesTheLedgerUnchanged_AndRemovesItsScratchSpace()
    {
        await AppendToUsersLedgerAsync();
        Assert.Equal(0, (await _cli.RunAsync("audit", "checkpoint")).Code);
        SqliteConnection.ClearAllPools();
        var before = Snapshot(_cli.Folder);

        var (code, output, error) = await _cli.RunAsync("selftest");

        Assert.True(code == 0, output + error);
        var lines = output.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.StartsWith("selftest on SQLite: scratch file " + Path.Combine(_cli.Folder, "monitorconsole-selftest-"), lines[0]);
        Assert.Equal(Checks, lines.Skip(1).Take(Checks.Length).Select(l => PassLine().Match(l).Groups[1].Value));
        Assert.Matches(@"^9 passed, 0 failed, 0 skipped; scratch file .* removed$", lines[^1]);
        Assert.Equal(Checks.Length + 2, lines.Count);

        SqliteConnection.ClearAllPools();
        Assert.Equal(before, Snapshot(_cli.Folder));
        Assert.False(Directory.Exists(TempFolderOf(output)));
        var verify = await _cli.RunAsync("audit", "verify");
        Assert.StartsWith("valid: 3 of 3", verify.Out);
    }

    [Fact]
    public async Task Selftest_WithKeepAndJson_ReportsEachCheck_AndLeavesTheScratchLedgerForInspection()
    {
        var (code, output, error) = await _cli.RunAsync("selftest", "--keep", "--json");

        Assert.True(code == 0, output + error);
        using var report = JsonDocument.Parse(output);
        var root = report.RootElement;
        Assert.Equal("SQLite", root.GetProperty("provider").GetString());
        Assert.True(root.GetProperty("kept").GetBoolean());
        Assert.Equal(9, root.GetProperty("passed").GetInt32());
        Assert.Equal(0, root.GetProperty("failed").GetInt32());
        Assert.Equal(Checks, root.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.All(root.GetProperty("checks").EnumerateArray(), c => Assert.Equal("pass", c.GetProperty("status").GetString()));

        var scratchFile = root.GetProperty("scratch").GetString()!["scratch file ".Length..];
        Assert.True(File.Exists(scratchFile));
        var temp = TempFolderOf(output);
        try
        {
            Assert.True(File.Exists(Path.Combine(temp, "export.json")));
            await using var connection = new SqliteConnection($"Data Source={scratchFile};Pooling=False");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM audit_entries";
            Assert.True((long)(await command.ExecuteScalarAsync())! > 1500);
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }

    [Fact]
    public async Task Selftest_OnPostgres_PassesEveryCheck_DropsItsSchema_AndLeavesTheExistingLedgerUntouched()
    {
        await using var pg = await PostgresDatabase.CreateAsync();
        _cli.Database = pg.ConnectionString;
        await AppendToUsersLedgerAsync();
        Assert.Equal(0, (await _cli.RunAsync("audit", "checkpoint")).Code);
        var before = await LedgerStateAsync(pg);

        var (code, output, error) = await _cli.RunAsync("selftest");

        Assert.True(code == 0, output + error);
        Assert.StartsWith($"selftest on PostgreSQL: scratch schema monitorconsole_selftest_", output);
        Assert.Equal(Checks.Length, output.Split('\n').Count(l => l.StartsWith("PASS  ", StringComparison.Ordinal)));
        Assert.Contains("9 passed, 0 failed, 0 skipped", output);
        Assert.Equal(0L, await pg.SqlAsync("SELECT COUNT(*) FROM pg_namespace WHERE nspname LIKE 'monitorconsole\\_selftest\\_%'"));
        Assert.Equal(before, await LedgerStateAsync(pg));
        Assert.False(Directory.Exists(TempFolderOf(output)));
    }

    [Theory]
    [InlineData("ftp://example.com/ledger", "error: database: URL scheme 'ftp' is not supported")]
    [InlineData("sqlite:////nonexistent-folder-for-selftest/audit.db", "error: database: the folder /nonexistent-folder-for-selftest does not exist")]
    [InlineData("postgresql://someone:secret@127.0.0.1:1/ledger", "error: --db: could not make the selftest's scratch space on the PostgreSQL database")]
    public async Task Selftest_WithADatabaseItCannotUse_ExitsTwoWithOneClearLine(string url, string expected)
    {
        _cli.Database = url;

        var (code, output, error) = await _cli.RunAsync("selftest");

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.StartsWith(expected, error);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task Selftest_StoppedMidRun_StillRemovesItsScratchSpace()
    {
        using var process = _cli.StartProcess("selftest");
        var header = await process.StandardOutput.ReadLineAsync();
        var firstCheck = await process.StandardOutput.ReadLineAsync();
        Assert.StartsWith("PASS  migrate", firstCheck);
        // SIGTERM, not SIGINT: a shell may start background jobs with SIGINT ignored; both cancel the same token.
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
        var rest = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 130, $"exit {process.ExitCode}: {rest}{error}");
        Assert.StartsWith("interrupted; scratch file", error);
        Assert.DoesNotContain("passed", rest);
        Assert.Empty(Directory.GetDirectories(_cli.Folder));
        Assert.False(Directory.Exists(TempFolderOf(header!)));
    }

    private async Task AppendToUsersLedgerAsync()
    {
        for (var i = 0; i < 3; i++)
            Assert.Equal(0, (await _cli.RunAsync("audit", "append", "--action", "UPDATE", "--actor", "alice", "--resource-type", "model",
                "--data", $$"""{"step":{{i}}}""")).Code);
    }

    [Fact]
    public async Task Selftest_OnMariaDb_PassesEveryCheck_DropsItsDatabase_AndLeavesTheExistingLedgerUntouched()
    {
        await using var mysql = await MySqlDatabase.CreateAsync();
        _cli.Database = mysql.Database;
        await AppendToUsersLedgerAsync();
        var before = await mysql.SqlAsync("SELECT GROUP_CONCAT(entry_hash ORDER BY sequence) FROM audit_entries");

        var (code, output, error) = await _cli.RunAsync("selftest");

        Assert.True(code == 0, output + error);
        Assert.StartsWith("selftest on MySQL/MariaDB: scratch database monitorconsole_selftest_", output);
        Assert.Contains("9 passed, 0 failed, 0 skipped", output);
        Assert.Equal(0L, Convert.ToInt64(await mysql.SqlAsync(
            "SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name LIKE 'monitorconsole\\_selftest\\_%'")));
        Assert.Equal(before, await mysql.SqlAsync("SELECT GROUP_CONCAT(entry_hash ORDER BY sequence) FROM audit_entries"));
        Assert.False(Directory.Exists(TempFolderOf(output)));
    }

    /// <summary>Every file under the folder with its content hash and last write time.</summary>
    private static List<string> Snapshot(string folder) =>
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => $"{f} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))} {File.GetLastWriteTimeUtc(f):O}")
            .ToList();

    private static async Task<string> LedgerStateAsync(PostgresDatabase pg) =>
        $"{await pg.SqlAsync("SELECT string_agg(entry_hash, ',' ORDER BY sequence) FROM public.audit_entries")} " +
        $"{await pg.SqlAsync("SELECT string_agg(checkpoint, ',' ORDER BY id) FROM public.audit_checkpoints")} " +
        $"{await pg.SqlAsync("SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.tables WHERE table_schema = 'public'")}";

    /// <summary>The selftest's temporary folder (keys, export), named with the scratch space's id.</summary>
    private static string TempFolderOf(string output) =>
        Path.Combine(Path.GetTempPath(), "monitorconsole-selftest-" + ScratchId().Match(output).Groups[1].Value);

    /// <summary>`PASS  append (1 + 500 entries, read back as written, 0.4 s)`: the check's name.</summary>
    [GeneratedRegex(@"^PASS  (.+?) \(.+, \d+\.\d s\)$")]
    private static partial Regex PassLine();

    [GeneratedRegex("monitorconsole[-_]selftest[-_]([0-9a-f]{16})")]
    private static partial Regex ScratchId();
}
