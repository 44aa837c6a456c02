using MonitorConsole.Audit;
using MonitorConsole.Audit.Queries;

namespace MonitorConsole.Web.Components.Pages.Audit;

/// <summary>The trail page's filters as they travel in the URL, so a filtered view can be shared.</summary>
public sealed record TrailQuery(
    string? Actor = null, string? Action = null, string? ResourceType = null, string? ResourceId = null,
    string? From = null, string? To = null, bool IncludeRolledBack = false)
{
    public TrailFilter ToFilter() => new()
    {
        Actor = Blank(Actor),
        Action = Blank(Action),
        ResourceType = Blank(ResourceType),
        ResourceId = Blank(ResourceId),
        From = UtcTime.Parse(From, "from"),
        To = UtcTime.Parse(To, "to"),
        IncludeRolledBack = IncludeRolledBack,
    };

    public string ToQueryString(long? before, params (string Key, string Value)[] extra)
    {
        var parts = new List<string>();
        void Add(string key, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value)) parts.Add($"{key}={Uri.EscapeDataString(value.Trim())}");
        }
        Add("actor", Actor);
        Add("action", Action);
        Add("resource_type", ResourceType);
        Add("resource_id", ResourceId);
        Add("from", From);
        Add("to", To);
        if (IncludeRolledBack) parts.Add("include_rolled_back=true");
        if (before is { } b) parts.Add($"before={b}");
        foreach (var (key, value) in extra) Add(key, value);
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }

    /// <summary>
    /// The query of the export that holds exactly the entries this trail shows: it always says whether rolled-back
    /// entries are included, so an unfiltered trail that hides them is not exported as the whole chain.
    /// </summary>
    public string ToExportQueryString(string format) =>
        (this with { IncludeRolledBack = false }).ToQueryString(null,
            ("format", format), ("include_rolled_back", IncludeRolledBack ? "true" : "false"));

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
