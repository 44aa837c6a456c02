using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using MonitorConsole.Audit;
using MonitorConsole.Audit.Chain;
using MonitorConsole.Audit.Export;
using MonitorConsole.Audit.Queries;

namespace MonitorConsole.Cli.Audit;

/// <summary>The `audit` verbs.</summary>
public static class AuditCommands
{
    public static Command Build(TextWriter stdout)
    {
        var audit = new Command("audit", "Append to, verify, export and query the audit ledger");
        audit.Subcommands.Add(Append(stdout));
        audit.Subcommands.Add(ImportCommand.Build(stdout));
        audit.Subcommands.Add(Verify(stdout));
        audit.Subcommands.Add(ExportCommand.Build(stdout));
        audit.Subcommands.Add(VerifyExport(stdout));
        audit.Subcommands.Add(Rollback(stdout));
        audit.Subcommands.Add(Erase(stdout));
        audit.Subcommands.Add(TrailCommand.Build(stdout));
        audit.Subcommands.Add(Stats(stdout));
        audit.Subcommands.Add(BackupCommand.Build(stdout));
        foreach (var command in CheckpointCommands.Build(stdout)) audit.Subcommands.Add(command);
        foreach (var command in EvidenceCommands.Build(stdout)) audit.Subcommands.Add(command);
        return audit;
    }

    private static Command Append(TextWriter stdout)
    {
        var action = new Option<string>("--action") { Required = true, Description = "What was done, e.g. UPDATE" };
        var actor = new Option<string>("--actor") { Required = true, Description = "Who did it" };
        var type = new Option<string>("--resource-type") { Required = true, Description = "Kind of resource, e.g. model" };
        var id = new Option<string?>("--resource-id") { Description = "Which resource" };
        var data = new Option<string?>("--data") { Description = "JSON data (default {})" };
        var details = new Option<string?>("--details") { Description = "JSON details" };
        var json = JsonOption();
        var command = new Command("append", "Append one entry; prints its entry id") { action, actor, type, id, data, details, json };
        command.SetAction(async (parse, ct) =>
        {
            await using var services = CliApp.Services(parse);
            var entry = await services.GetRequiredService<AuditWriter>().AppendAsync(new AuditEntryDraft(
                parse.GetValue(action)!, parse.GetValue(actor)!, parse.GetValue(type)!, parse.GetValue(id),
                parse.GetValue(data), parse.GetValue(details)), ct);
            await stdout.WriteLineAsync(parse.GetValue(json) ? CliJson.Serialize(entry) : entry.EntryId);
            return CliApp.Ok;
        });
        return command;
    }

    private static Command Verify(TextWriter stdout)
    {
        var from = new Option<string?>("--from") { Description = "Verify entries from this UTC time (ISO 8601)" };
        var to = new Option<string?>("--to") { Description = "Verify entries up to this UTC time (ISO 8601)" };
        var json = JsonOption();
        var checkpoint = new Option<FileInfo?>("--checkpoint") { Description = "Also check the chain still holds what this signed checkpoint file covers (truncation, rewrites), and its timestamp token" };
        var tsaCerts = CheckpointCommands.TsaCertOption();
        var command = new Command("verify", "Verify the hash chain; exit 1 when tampering is found") { from, to, json, checkpoint, tsaCerts };
        command.SetAction(async (parse, ct) =>
        {
            await using var services = CliApp.Services(parse, CheckpointCommands.Timestamping(parse, null, tsaCerts));
            var scope = new VerificationScope(Time(parse.GetValue(from), "from"), Time(parse.GetValue(to), "to"));
            var result = await services.GetRequiredService<ChainVerifier>().VerifyAsync(scope, null, ct);
            var check = parse.GetValue(checkpoint) is { } file ? await CheckpointCommands.CheckAsync(services, file, ct) : null;
            await stdout.WriteLineAsync(parse.GetValue(json)
                ? (check is null ? CliJson.Serialize(result) : CliJson.Serialize(new { verification = result, checkpoint = check }))
                : Describe(result) + (check is null ? "" : $"{Environment.NewLine}checkpoint: {(check.Matches ? "matches" : check.Problem)} — {check.Detail}" +
                    (check.Anchor is null ? "" : $"{Environment.NewLine}time anchor: {check.Anchor.Summary}")));
            return result.Valid && check?.Matches != false && check?.Anchor?.IsFailure != true ? CliApp.Ok : CliApp.TamperingFound;
        });
        return command;
    }

    private static Command VerifyExport(TextWriter stdout)
    {
        var file = new Argument<FileInfo>("FILE") { Description = "A JSON or CSV export" };
        var trail = new Option<bool>("--trail")
        {
            Description = "Check each entry on its own (for filtered exports): exit 3 when every entry holds; completeness and links are not proven",
        };
        var json = JsonOption();
        var command = new Command("verify-export",
            "Verify an export file offline, with no database: by default it must be the complete chain (exit 0), else exit 1")
        {
            file, trail, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists) throw new IOException($"FILE: {path.FullName} does not exist");
            var mode = parse.GetValue(trail) ? ExportCheckMode.Trail : ExportCheckMode.CompleteChain;
            var verification = await ExportVerifier.VerifyFileAsync(path.FullName, mode, ct: ct);
            await stdout.WriteLineAsync(parse.GetValue(json) ? CliJson.Serialize(verification) : Describe(verification));
            return verification.Outcome switch
            {
                ExportOutcomes.CompleteChain => CliApp.Ok,
                ExportOutcomes.EntriesValid => CliApp.EntriesValidCompletenessNotProven,
                _ => CliApp.TamperingFound,
            };
        });
        return command;
    }

    public static string Describe(ExportVerification v)
    {
        var check = v.Mode == ExportVerification.TrailMode ? "checked entry by entry (--trail)" : "checked as a complete chain";
        var lines = new List<string> { $"{v.Format} export, {check}: {v.Summary} ({v.DurationMs:0} ms)" };
        AddErased(lines, v.ErasedCount, v.ErasedEntries);
        AddProblems(lines, v.Problems.Select(p => p.Category == ExportProblemCategories.Incomplete || p.Sequence is null
            ? $"  {p.Detail}"
            : $"  sequence {p.Sequence}{(p.EntryId is null ? "" : $" ({p.EntryId})")}: {p.Kind}: {p.Detail}").ToList(),
            v.TamperingCount + v.IncompleteCount);
        if (v.Note is not null) lines.Add($"note: {v.Note}");
        return string.Join(Environment.NewLine, lines);
    }

    private static Command Rollback(TextWriter stdout)
    {
        var hash = new Option<string>("--to-hash") { Required = true, Description = "entry_hash of the entry to roll back to" };
        var actor = new Option<string>("--actor") { Required = true, Description = "Who rolls back" };
        var reason = new Option<string>("--reason") { Required = true, Description = "Why" };
        var command = new Command("rollback", "Roll back to an entry (appends a ROLLBACK entry; deletes nothing)") { hash, actor, reason };
        command.SetAction(async (parse, ct) =>
        {
            await using var services = CliApp.Services(parse);
            var result = await services.GetRequiredService<RollbackService>()
                .RollbackAsync(parse.GetValue(hash)!, parse.GetValue(actor)!, parse.GetValue(reason)!, ct);
            await stdout.WriteLineAsync(
                $"rolled back {result.RolledBackCount} entries; ROLLBACK entry {result.RollbackEntry.EntryId} at sequence {result.RollbackEntry.Sequence}");
            return CliApp.Ok;
        });
        return command;
    }

    private static Command Erase(TextWriter stdout)
    {
        var sequence = new Option<long>("--sequence") { Required = true, Description = "Sequence of the entry whose data to erase" };
        var reason = new Option<string>("--reason") { Required = true, Description = "Why (recorded in the ERASURE entry)" };
        var actor = new Option<string?>("--actor") { Description = "Who erases (default cli:<operating-system user>)" };
        var json = JsonOption();
        var command = new Command("erase",
            "Erase an entry's data text (personal data): appends an ERASURE entry; data_hash, details and links stay, so the chain still verifies")
        {
            sequence, reason, actor, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            await using var services = CliApp.Services(parse);
            var who = parse.GetValue(actor) ?? AccessCommands.Operator.Actor;
            var result = await services.GetRequiredService<ErasureService>()
                .EraseAsync(parse.GetValue(sequence), who, parse.GetValue(reason)!, ct);
            await stdout.WriteLineAsync(parse.GetValue(json)
                ? CliJson.Serialize(new { erased_sequence = result.ErasedSequence, erased_entry_hash = result.ErasedEntryHash, erasure_entry = result.ErasureEntry })
                : $"erased the data of entry {result.ErasedSequence}; ERASURE entry {result.ErasureEntry.EntryId} at sequence {result.ErasureEntry.Sequence}");
            return CliApp.Ok;
        });
        return command;
    }

    private static Command Stats(TextWriter stdout)
    {
        var json = JsonOption();
        var includeRolledBack = new Option<bool>("--include-rolled-back") { Description = "Count rolled-back entries too" };
        var command = new Command("stats", "Ledger statistics") { json, includeRolledBack };
        command.SetAction(async (parse, ct) =>
        {
            await using var services = CliApp.Services(parse);
            var stats = await services.GetRequiredService<AuditQueries>().GetStatisticsAsync(parse.GetValue(includeRolledBack), ct);
            if (parse.GetValue(json))
            {
                await stdout.WriteLineAsync(CliJson.Serialize(stats));
                return CliApp.Ok;
            }
            await stdout.WriteLineAsync($"entries: {stats.TotalEntries} (chain length {stats.ChainLength}, rolled back {stats.RolledBackEntries})");
            await stdout.WriteLineAsync($"unique actors: {stats.UniqueActors}");
            await stdout.WriteLineAsync($"first: {Format(stats.FirstTimestamp)}  last: {Format(stats.LastTimestamp)}");
            foreach (var (name, count) in stats.ActionCounts) await stdout.WriteLineAsync($"  {name}: {count}");
            return CliApp.Ok;
        });
        return command;
    }

    public static Option<bool> JsonOption() => new("--json") { Description = "Print JSON (snake_case keys)" };

    public static DateTime? Time(string? value, string field) => UtcTime.Parse(value, field);

    public static string Format(DateTime? time) => time is { } t ? HashSpec.FormatTimestamp(t) : "-";

    public static string Describe(VerificationResult r)
    {
        var head = r.Valid
            ? $"valid: {r.VerifiedEntries} of {r.TotalEntries} entries verified"
            : $"TAMPERING FOUND: {r.InvalidEntryCount} invalid entries, {r.ChainBreakCount} chain breaks in {r.TotalEntries} entries";
        var lines = new List<string> { head + $" ({r.DurationMs:0} ms)" };
        AddErased(lines, r.ErasedCount, r.ErasedEntries);
        AddProblems(lines, r.InvalidEntries.Select(i => $"  sequence {i.Sequence} ({i.EntryId}): {i.Reason}: {i.Detail}")
            .Concat(r.ChainBreaks.Select(b => $"  sequence {b.Sequence} ({b.EntryId}): {b.Kind}: {b.Detail}")).ToList(),
            r.InvalidEntryCount + r.ChainBreakCount);
        return string.Join(Environment.NewLine, lines);
    }

    /// <summary>Problems a person reads at a terminal: the first few, and how many more there are (all of them with --json).</summary>
    public const int ProblemsShown = 20;

    /// <summary>Erased entries are not problems: one line with the count and which ERASURE entry records each.</summary>
    private static void AddErased(List<string> lines, long count, IReadOnlyList<ErasedEntry> erased)
    {
        if (count == 0) return;
        var listed = string.Join(", ", erased.Take(ProblemsShown).Select(e => $"{e.Sequence} (by ERASURE entry {e.ErasedBySequence})"));
        lines.Add($"erased: {count} entr{(count == 1 ? "y's" : "ies'")} data, recorded by ERASURE entries: {listed}{(count > ProblemsShown ? ", …" : "")}");
    }

    private static void AddProblems(List<string> lines, IReadOnlyList<string> problems, long total)
    {
        lines.AddRange(problems.Take(ProblemsShown));
        if (total > Math.Min(problems.Count, ProblemsShown))
            lines.Add($"  … and {total - Math.Min(problems.Count, ProblemsShown):N0} more problems (the counts above are exact; --json lists up to {problems.Count:N0})");
    }
}
