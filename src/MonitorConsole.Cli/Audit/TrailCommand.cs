using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using MonitorConsole.Audit;
using MonitorConsole.Audit.Queries;

namespace MonitorConsole.Cli.Audit;

public static class TrailCommand
{
    public static Command Build(TextWriter stdout)
    {
        var trail = new TrailOptions();
        var limit = new Option<int>("--limit") { Description = "Entries per page (default 50)", DefaultValueFactory = _ => 50 };
        var cursor = new Option<long?>("--cursor") { Description = "Continue before this sequence (from the previous page)" };
        var json = AuditCommands.JsonOption();
        var command = new Command("trail", "Entries by actor (--actor A) or resource (--resource TYPE ID), newest first") { limit, cursor, json };
        trail.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(trail.Actor) is null && parse.GetValue(trail.Resource) is not { Length: > 0 })
                throw new AuditValidationException("trail", "give --actor A or --resource TYPE [ID]");
            await using var services = CliApp.Services(parse);
            var page = await services.GetRequiredService<AuditQueries>()
                .GetTrailAsync(trail.Filter(parse), parse.GetValue(cursor), parse.GetValue(limit), ct);
            if (parse.GetValue(json))
            {
                await stdout.WriteLineAsync(CliJson.Serialize(new
                {
                    entries = page.Entries.Select(v => new { v.Entry, v.RolledBack }),
                    next_cursor = page.NextCursor,
                }));
                return CliApp.Ok;
            }
            foreach (var (e, rolledBack) in page.Entries)
                await stdout.WriteLineAsync(
                    $"{e.Sequence,8}  {AuditCommands.Format(e.Timestamp)}  {e.Action,-12} {e.Actor,-20} {e.ResourceType}/{e.ResourceId}{(rolledBack ? "  [rolled back]" : "")}");
            if (page.NextCursor is { } next) await stdout.WriteLineAsync($"more: --cursor {next}");
            return CliApp.Ok;
        });
        return command;
    }
}
