using CsCheck;
using Microsoft.Data.Sqlite;
using MonitorConsole.Tests.Shared;

namespace MonitorConsole.Cli.Tests;

/// <summary>Hostile JSON Lines files through `audit import`: all or nothing, exit 0 or 2, the chain valid after each.</summary>
public sealed class HostileImportTests : IDisposable
{
    public const int Iterations = 300;

    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Import_OfHostileJsonLines_IsAllOrNothing_AndNeverCrashes()
    {
        await _cli.RunAsync("audit", "append", "--action", "START", "--actor", "tests", "--resource-type", "ledger");
        var file = Gen.Frequency(
            (4, (IGen<byte[][]>)HostileGen.Entry.Select(HostileGen.Utf8).Array[1, 8]),
            (2, HostileGen.Body.Array[1, 5]),
            (1, Gen.Const<byte[][]>([[0xEF, 0xBB, 0xBF, .. HostileGen.Utf8("""{"action":"A","actor":"b","resource_type":"c"}""")]])));
        var cases = 0;
        var path = Path.Combine(_cli.Folder, "import.jsonl");
        await file.SampleAsync(async lines =>
        {
            cases++;
            await File.WriteAllBytesAsync(path, lines.SelectMany(l => l.Append((byte)'\n')).ToArray());
            var before = Count();
            var (code, _, error) = await _cli.RunAsync("audit", "import", path);
            Assert.True(code is 0 or 2, $"exit {code}: {error}");
            if (code == 2)
            {
                Assert.Equal(before, Count());
                Assert.Single(error.TrimEnd().Split('\n'));
            }
            if (cases % 50 == 0) Assert.Equal(0, (await _cli.RunAsync("audit", "verify")).Code);
        }, iter: Iterations, threads: 1);
        Assert.Equal(0, (await _cli.RunAsync("audit", "verify")).Code);
        TestContext.Current.SendDiagnosticMessage($"audit import: {cases} hostile files");
    }

    private long Count()
    {
        using var connection = new SqliteConnection($"Data Source={_cli.DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM audit_entries";
        return (long)command.ExecuteScalar()!;
    }
}
