using System.CommandLine;
using MonitorConsole.Audit;
using MonitorConsole.Audit.Queries;

namespace MonitorConsole.Cli.Audit;

/// <summary>The trail filter options shared by `audit trail` and `audit export`.</summary>
public sealed class TrailOptions
{
    public Option<string?> Actor { get; } = new("--actor") { Description = "Only entries by this actor" };
    public Option<string[]> Resource { get; } = new("--resource")
    {
        Description = "Only entries on this resource: TYPE [ID]",
        Arity = new ArgumentArity(1, 2),
        AllowMultipleArgumentsPerToken = true,
    };
    public Option<string?> Action { get; } = new("--action") { Description = "Only entries with this action" };
    public Option<string?> From { get; } = new("--from") { Description = "From this UTC time (ISO 8601)" };
    public Option<string?> To { get; } = new("--to") { Description = "Up to this UTC time (ISO 8601)" };
    public Option<bool> IncludeRolledBack { get; } = new("--include-rolled-back") { Description = "Include rolled-back entries" };

    public void AddTo(Command command)
    {
        command.Options.Add(Actor);
        command.Options.Add(Resource);
        command.Options.Add(Action);
        command.Options.Add(From);
        command.Options.Add(To);
        command.Options.Add(IncludeRolledBack);
    }

    public bool AnySet(ParseResult parse) =>
        parse.GetValue(Actor) is not null || parse.GetValue(Resource) is { Length: > 0 } || parse.GetValue(Action) is not null
        || parse.GetValue(From) is not null || parse.GetValue(To) is not null;

    public TrailFilter Filter(ParseResult parse)
    {
        var resource = parse.GetValue(Resource) ?? [];
        if (resource.Length > 0 && string.IsNullOrWhiteSpace(resource[0]))
            throw new AuditValidationException("resource", "TYPE must not be empty");
        return new TrailFilter
        {
            Actor = parse.GetValue(Actor),
            ResourceType = resource.Length > 0 ? resource[0] : null,
            ResourceId = resource.Length > 1 ? resource[1] : null,
            Action = parse.GetValue(Action),
            From = AuditCommands.Time(parse.GetValue(From), "from"),
            To = AuditCommands.Time(parse.GetValue(To), "to"),
            IncludeRolledBack = parse.GetValue(IncludeRolledBack),
        };
    }
}
