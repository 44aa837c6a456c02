using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using MonitorConsole.Access;
using MonitorConsole.Audit;
using MonitorConsole.Audit.Operations;
using MonitorConsole.Audit.Storage;

namespace MonitorConsole.Cli.Audit;

/// <summary>`audit backup --out FILE [--force]`: an online, verified copy of a SQLite ledger.</summary>
public static class BackupCommand
{
    public static Command Build(TextWriter stdout)
    {
        var output = new Option<FileInfo>("--out") { Required = true, Description = "The backup file (written under a temporary name, verified, then renamed)" };
        var force = new Option<bool>("--force") { Description = "Replace the file if it exists" };
        var json = AuditCommands.JsonOption();
        var command = new Command("backup",
            "Copy a SQLite ledger while the console runs, verify the copy, print its head and SHA-256; exit 1 when the copy (and so the ledger) fails verification. Server databases: use their own tools (docs/operations.md)")
        {
            output, force, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            await using var services = CliApp.Services(parse);
            var target = parse.GetValue(output)!.FullName;
            LedgerBackup.CheckTarget(services.GetRequiredService<AuditDatabase>().Target, target, parse.GetValue(force));
            // Recorded before the copy is taken, so the copy holds the record of its own making (as an export does).
            await services.GetRequiredService<ActionLog>().RecordAsync(LedgerVocabulary.LedgerBackedUpAction, AccessCommands.Operator.Actor,
                LedgerVocabulary.LedgerResourceType, null, new { method = "sqlite_online_backup", path = target }, ct);
            var backup = await services.GetRequiredService<LedgerBackup>().BackupAsync(target, parse.GetValue(force), ct);
            await stdout.WriteLineAsync(parse.GetValue(json) ? CliJson.Serialize(new
            {
                path = backup.Path,
                entries = backup.Entries,
                head_hash = backup.HeadHash,
                bytes = backup.Bytes,
                sha256 = backup.Sha256,
                verification = backup.Verification,
            }) : Describe(backup));
            return backup.Verification.Valid ? CliApp.Ok : CliApp.TamperingFound;
        });
        return command;
    }

    private static string Describe(BackupResult backup) => string.Join(Environment.NewLine,
        $"backup: {backup.Path}",
        $"entries: {backup.Entries}",
        $"head: {backup.HeadHash ?? "-"}",
        $"bytes: {backup.Bytes}",
        $"sha256: {backup.Sha256}",
        "copy " + AuditCommands.Describe(backup.Verification));
}
