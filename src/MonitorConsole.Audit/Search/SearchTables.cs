namespace MonitorConsole.Audit.Search;

/// <summary>A word found in an entry's data or details (audit_search_tokens).</summary>
public sealed class SearchToken
{
    public string Token { get; set; } = "";
    public long Sequence { get; set; }
}

/// <summary>
/// A distinct actor, action, resource type, resource id or resource ("type/id") present in the ledger
/// (audit_search_values): what suggestions offer, and how a filter typed in any case finds the stored spelling.
/// </summary>
public sealed class SearchValue
{
    public string Field { get; set; } = "";
    public string Value { get; set; } = "";
    public string ValueLower { get; set; } = "";
}

/// <summary>How far the search index has read the chain (audit_search_progress, one row).</summary>
public sealed class SearchProgress
{
    public int Id { get; set; }
    public long IndexedThrough { get; set; }
}

/// <summary>The fields <see cref="SearchValue"/> rows name.</summary>
public static class SearchFields
{
    public const string Actor = "actor";
    public const string Action = "action";
    public const string ResourceType = "resource_type";
    public const string ResourceId = "resource_id";

    /// <summary>"type/id" (or the type alone), as the trail shows a resource.</summary>
    public const string Resource = "resource";

    public static readonly IReadOnlyList<string> Suggestible = [Actor, Action, Resource];
}

/// <summary>Where the search index stands: it may trail the chain by what was appended since it last ran.</summary>
public sealed record SearchIndexStatus(long IndexedThrough, long ChainLength)
{
    public long Behind => Math.Max(0, ChainLength - IndexedThrough);
}
