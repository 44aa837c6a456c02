using MonitorConsole.Audit;
using MonitorConsole.Audit.Queries;

namespace MonitorConsole.Web.Components.Pages.Audit;

/// <summary>
/// The trail page's filters as they travel in the URL, so a filtered view can be shared. Resource is typed as the trail
/// shows it ("model/credit_risk", or "model" for every model); resource_type and resource_id are older links' form.
/// From and To are UTC (ISO 8601); the form converts from the person's zone.
/// </summary>
public sealed record TrailQuery(
    string? Actor = null, string? Action = null, string? ResourceType = null, string? ResourceId = null,
    string? From = null, string? To = null, bool IncludeRolledBack = false, string? Resource = null, string? Q = null)
{
    public TrailFilter ToFilter() => new TrailFilter
    {
        Actor = Blank(Actor),
        Action = Blank(Action),
        ResourceType = Blank(ResourceType),
        ResourceId = Blank(ResourceId),
        Text = Blank(Q),
        From = UtcTime.Parse(From, "from"),
        To = UtcTime.Parse(To, "to"),
        IncludeRolledBack = IncludeRolledBack,
    }.WithResource(Blank(Resource));

    /// <summary>The resource as one text, whichever form the URL used.</summary>
    public string? ResourceText =>
        Blank(Resource) ?? (Blank(ResourceType) is { } type ? type + (Blank(ResourceId) is { } id ? "/" + id : "") : null);

    public string ToQueryString(long? before, params (string Key, string Value)[] extra)
    {
        var parts = new List<string>();
        void Add(string key, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value)) parts.Add($"{key}={Uri.EscapeDataString(value.Trim())}");
        }
        Add("actor", Actor);
        Add("action", Action);
        Add("resource", Resource);
        Add("resource_type", ResourceType);
        Add("resource_id", ResourceId);
        Add("q", Q);
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

    /// <summary>The query of the evidence pack of exactly the entries this trail shows: the export's, without a format.</summary>
    public string ToEvidenceQueryString() =>
        (this with { IncludeRolledBack = false }).ToQueryString(null, ("include_rolled_back", IncludeRolledBack ? "true" : "false"));

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
