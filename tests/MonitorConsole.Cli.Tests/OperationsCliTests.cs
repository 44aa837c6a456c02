using System.Security.Cryptography;
using System.Text.Json;

namespace MonitorConsole.Cli.Tests;

/// <summary>`audit backup` and `migrate`: a verified online copy that restores, and the schema brought up to date.</summary>
public sealed class OperationsCliTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    private string Source => $"sqlite:///{_cli.DatabasePath}";

    private async Task AppendAsync(int count)
    {
        for (var i = 0; i < count; i++)
            Assert.Equal(0, (await _cli.RunAsync("audit", "append", "--action", "UPDATE", "--actor", "ops", "--resource-type", "model",
                "--data", $$"""{"step":{{i}}}""")).Code);
    }

    /// <summary>Runs the CLI on another database, leaving the runner's own untouched (a test may be appending to it meanwhile).</summary>
    private static async Task<(int Code, string Out, string Err)> OnAsync(string database, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliApp.RunAsync([.. args, "--db", database], stdout, stderr, new StringReader(""));
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Backup_RestoresToACopyThatMigratesVerifiesValid_WithTheSourcesHead_AndItsOwnRecord()
    {
        await AppendAsync(5);
        var file = Path.Combine(_cli.Folder, "backup.db");
        var backup = await _cli.RunAsync("audit", "backup", "--out", file, "--json");
        Assert.True(backup.Code == 0, backup.Out + backup.Err);
        using var report = JsonDocument.Parse(backup.Out);
        var head = report.RootElement.GetProperty("head_hash").GetString();
        Assert.Equal(6, report.RootElement.GetProperty("entries").GetInt64()); // five appends and the backup's own record
        Assert.True(report.RootElement.GetProperty("verification").GetProperty("valid").GetBoolean());
        Assert.Equal(new FileInfo(file).Length, report.RootElement.GetProperty("bytes").GetInt64());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(file))), report.RootElement.GetProperty("sha256").GetString());
        Assert.Empty(Directory.GetFiles(_cli.Folder, ".backup.db.*")); // no temporary file left behind

        // Restore: the file copied to where a console would use it, opened, migrated, verified.
        var restored = Path.Combine(_cli.Folder, "restored", "audit.db");
        Directory.CreateDirectory(Path.GetDirectoryName(restored)!);
        File.Copy(file, restored);
        var copy = $"sqlite:///{restored}";
        var migrate = await OnAsync(copy, "migrate");
        Assert.True(migrate.Code == 0, migrate.Out + migrate.Err);
        Assert.DoesNotContain("applied: ledger", migrate.Out); // the copy's ledger schema came with it
        Assert.Equal(0, (await OnAsync(copy, "migrate", "--check")).Code);
        var verify = await OnAsync(copy, "audit", "verify", "--json");
        Assert.True(verify.Code == 0, verify.Out);
        using var verified = JsonDocument.Parse(verify.Out);
        Assert.Equal(6, verified.RootElement.GetProperty("last_sequence").GetInt64());
        Assert.Equal(head, verified.RootElement.GetProperty("last_entry_hash").GetString());
        var record = await OnAsync(copy, "audit", "trail", "--action", "LEDGER_BACKED_UP", "--resource", "audit_ledger");
        Assert.Contains("LEDGER_BACKED_UP", record.Out);
        Assert.Contains($"cli:{Environment.UserName}", record.Out);
    }

    [Fact]
    public async Task Backup_RefusesToReplaceAFile_UnlessForced()
    {
        await AppendAsync(2);
        var file = _cli.WriteFile("existing.db", "not a backup");
        var refused = await _cli.RunAsync("audit", "backup", "--out", file);
        Assert.Equal(2, refused.Code);
        Assert.Contains("--force", refused.Err);
        Assert.Equal("not a backup", await File.ReadAllTextAsync(file));

        var forced = await _cli.RunAsync("audit", "backup", "--out", file, "--force");
        Assert.True(forced.Code == 0, forced.Out + forced.Err);
        Assert.Contains("entries: 3", forced.Out);
        Assert.Equal(0, (await OnAsync($"sqlite:///{file}", "audit", "verify")).Code);
    }

    [Fact]
    public async Task Backup_OfAServerDatabase_ExitsTwo_AndPointsToTheServersTools()
    {
        var result = await OnAsync("postgresql://ops:secret@127.0.0.1:1/ledger", "audit", "backup", "--out", Path.Combine(_cli.Folder, "x.db"));
        Assert.Equal(2, result.Code);
        Assert.Contains("pg_dump", result.Err);
        Assert.False(File.Exists(Path.Combine(_cli.Folder, "x.db")));
    }

    [Fact]
    public async Task Backup_WhileEntriesAreAppended_IsAConsistentVerifiedSnapshot()
    {
        await AppendAsync(1);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var appends = 0;
        // Another process writes meanwhile, as the console does while an operator takes a backup.
        var writer = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested && appends < 300)
            {
                using var append = _cli.StartProcess("audit", "append", "--action", "BULK", "--actor", "svc", "--resource-type", "t");
                await append.WaitForExitAsync(CancellationToken.None);
                Assert.Equal(0, append.ExitCode);
                appends++;
            }
        });
        var sizes = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            var file = Path.Combine(_cli.Folder, $"live-{i}.db");
            var backup = await _cli.RunAsync("audit", "backup", "--out", file, "--json");
            Assert.True(backup.Code == 0, backup.Out + backup.Err);
            using var report = JsonDocument.Parse(backup.Out);
            sizes.Add(report.RootElement.GetProperty("entries").GetInt64());
            var verify = await OnAsync($"sqlite:///{file}", "audit", "verify", "--json");
            using var verified = JsonDocument.Parse(verify.Out);
            Assert.Equal(report.RootElement.GetProperty("head_hash").GetString(), verified.RootElement.GetProperty("last_entry_hash").GetString());
        }
        await stop.CancelAsync();
        await writer;
        Assert.True(sizes.SequenceEqual(sizes.Order()), string.Join(",", sizes));
        Assert.True(appends > 0);
    }

    [Fact]
    public async Task Backup_OfATamperedLedger_KeepsTheEvidence_AndExitsOne()
    {
        await AppendAsync(4);
        _cli.Sql("UPDATE audit_entries SET data = '{\"step\":99}' WHERE sequence = 2");
        var file = Path.Combine(_cli.Folder, "evidence.db");
        var backup = await _cli.RunAsync("audit", "backup", "--out", file);
        Assert.Equal(1, backup.Code);
        Assert.Contains("TAMPERING FOUND", backup.Out);
        Assert.True(File.Exists(file));
    }

    [Fact]
    public async Task Migrate_OnAnEmptyDatabase_AppliesEveryModule_ThenHasNothingToDo()
    {
        var check = await _cli.RunAsync("migrate", "--check");
        Assert.Equal(1, check.Code);
        Assert.Contains("pending: ledger", check.Out);

        var first = await _cli.RunAsync("migrate");
        Assert.True(first.Code == 0, first.Out + first.Err);
        Assert.Contains("applied: ledger", first.Out);
        Assert.Contains("applied: access", first.Out);
        Assert.Contains("applied: monitoring", first.Out);

        var again = await _cli.RunAsync("migrate");
        Assert.Equal(0, again.Code);
        Assert.DoesNotContain("applied:", again.Out);
        Assert.Equal(0, (await _cli.RunAsync("migrate", "--check")).Code);
    }
}
