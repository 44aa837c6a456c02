using System.CommandLine;
using System.Data.Common;
using MonitorConsole.Audit;
using MonitorConsole.Audit.Storage;
using MonitorConsole.Cli.Audit;

namespace MonitorConsole.Cli.SelfTest;

/// <summary>
/// `selftest`: proves the ledger on the user's own database server in one command, in a scratch space beside the
/// user's ledger (which is never read or written), removed afterwards even after Ctrl-C.
/// </summary>
public static class SelfTestCommand
{
    /// <summary>Exit code when some check failed (the ledger's guarantees do not hold on this database).</summary>
    public const int AnyCheckFailed = 1;

    /// <summary>Exit code after Ctrl-C or SIGTERM, as shells report a process that SIGINT ended.</summary>
    public const int Interrupted = 130;

    public static Command Build(TextWriter stdout, TextWriter stderr)
    {
        var json = AuditCommands.JsonOption();
        var keep = new Option<bool>("--keep") { Description = "Leave the scratch space for inspection and print where it is" };
        var command = new Command("selftest",
            "Check the ledger on this database: migrate, append, concurrent writers, verify, append-only, rollback, " +
            "checkpoint, export and tamper detection, in a scratch space that is removed afterwards; exit 0 when no " +
            "check failed, 1 when one did, 2 when the scratch space could not be made, 130 when interrupted")
        {
            json, keep,
        };
        command.SetAction(async (parse, ct) =>
        {
            var user = AuditDatabase.Resolve(new AuditOptions { Database = parse.GetValue(CliApp.DatabaseOption) });
            var asJson = parse.GetValue(json);
            var kept = parse.GetValue(keep);
            var scratch = await CreateScratchAsync(user, ct);
            if (!asJson) await stdout.WriteLineAsync($"selftest on {Named(user.Provider)}: {scratch.Location} (your ledger is not touched)");

            var run = new SelfTestRun(scratch, TimeProvider.System, r => asJson ? Task.CompletedTask : stdout.WriteLineAsync(r.Line()));
            IReadOnlyList<CheckResult> results = [];
            var interrupted = false;
            string? cleanupError = null;
            try
            {
                results = await run.RunAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                interrupted = true;
            }
            finally
            {
                if (!kept) cleanupError = await DropAsync(scratch);
            }

            var where = kept
                ? $"kept for inspection: {scratch.Location}, keys and export in {scratch.Files} (remove with: {scratch.DropHint}; and delete {scratch.Files})"
                : cleanupError is null ? $"{scratch.Location} removed" : $"{scratch.Location} NOT removed ({cleanupError}); remove it with: {scratch.DropHint}";
            if (interrupted)
            {
                await stderr.WriteLineAsync($"interrupted; {where}");
                return Interrupted;
            }
            var report = new SelfTestReport(Named(user.Provider), scratch.Location, kept,
                results.Count(r => r.Status == CheckStatus.Pass), results.Count(r => r.Status == CheckStatus.Fail),
                results.Count(r => r.Status == CheckStatus.Skip), results);
            await stdout.WriteLineAsync(asJson
                ? CliJson.Serialize(report)
                : $"{report.Passed} passed, {report.Failed} failed, {report.Skipped} skipped; {where}");
            if (cleanupError is not null) throw new AuditOperationException($"selftest: {where}");
            return report.Failed > 0 ? AnyCheckFailed : CliApp.Ok;
        });
        return command;
    }

    private static async Task<ScratchSpace> CreateScratchAsync(DatabaseTarget user, CancellationToken ct)
    {
        try
        {
            return await ScratchSpace.CreateAsync(user, ct);
        }
        catch (Exception e) when (e is DbException or IOException or UnauthorizedAccessException)
        {
            var needs = user.Provider switch
            {
                DatabaseProvider.PostgreSql => "a role that can connect and has CREATE on the database, for a scratch schema",
                DatabaseProvider.SqlServer => "a login that can connect and CREATE DATABASE, for a scratch database",
                DatabaseProvider.MySql => "an account with CREATE and DROP on the server, for a scratch database",
                _ => "write access to the ledger's folder, for a scratch file",
            };
            throw new AuditOperationException(
                $"--db: could not make the selftest's scratch space on the {Named(user.Provider)} database ({e.Message.ReplaceLineEndings(" ")}); it needs {needs}");
        }
    }

    private static string Named(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Sqlite => "SQLite",
        DatabaseProvider.PostgreSql => "PostgreSQL",
        DatabaseProvider.SqlServer => "SQL Server",
        DatabaseProvider.MySql => "MySQL/MariaDB",
        _ => provider.ToString(),
    };

    /// <summary>Removes the scratch space; the reason it could not, or null.</summary>
    private static async Task<string?> DropAsync(ScratchSpace scratch)
    {
        try
        {
            await scratch.DropAsync();
            return null;
        }
        catch (Exception e) when (e is DbException or IOException or UnauthorizedAccessException)
        {
            return e.Message.ReplaceLineEndings(" ");
        }
    }
}
