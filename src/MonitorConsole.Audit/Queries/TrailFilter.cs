using System.Data.Common;
using System.Text;
using MonitorConsole.Audit.Search;
using MonitorConsole.Audit.Storage;

namespace MonitorConsole.Audit.Queries;

/// <summary>
/// Which entries a trail or export covers. All set fields must match, in any letter case; times are UTC and inclusive.
/// <see cref="Text"/> matches entries whose data or details hold all of its words. Rolled-back entries are left out
/// unless <see cref="IncludeRolledBack"/>.
/// </summary>
public sealed record TrailFilter
{
    public string? Actor { get; init; }
    public string? Action { get; init; }
    public string? ResourceType { get; init; }
    public string? ResourceId { get; init; }
    public DateTime? From { get; init; }
    public DateTime? To { get; init; }
    public bool IncludeRolledBack { get; init; }

    /// <summary>
    /// Only entries up to this sequence: an evidence pack pins its scope to the chain's head when it was made, so
    /// entries appended while it is made are not half in it. Not a narrowing of the kind a person asks for, so a
    /// filter with only this set is still the whole chain (a prefix of it, from genesis).
    /// </summary>
    public long? ThroughSequence { get; init; }

    /// <summary>Words to find in data or details (whole words, any case; see <see cref="Search.SearchTokens"/>).</summary>
    public string? Text { get; init; }

    public static readonly TrailFilter All = new();

    public static TrailFilter ForActor(string actor) => new() { Actor = Required(actor, "actor") };

    public static TrailFilter ForResource(string resourceType, string? resourceId) =>
        new() { ResourceType = Required(resourceType, "resource_type"), ResourceId = resourceId };

    /// <summary>
    /// A resource typed as the trail shows it: "model/credit_risk" is type model and id credit_risk; "model" alone is
    /// every model. Blank leaves both unset.
    /// </summary>
    public TrailFilter WithResource(string? resource)
    {
        if (string.IsNullOrWhiteSpace(resource)) return this;
        var text = resource.Trim();
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash == 0) throw new AuditValidationException("resource", "must start with a resource type, as in model/credit_risk");
        if (slash < 0) return this with { ResourceType = text, ResourceId = null };
        var id = text[(slash + 1)..].Trim();
        return this with { ResourceType = text[..slash].Trim(), ResourceId = id.Length == 0 ? null : id };
    }

    /// <summary>True when the filter selects every entry, rolled back or not: the whole chain.</summary>
    public bool IsWholeChain =>
        Actor is null && Action is null && ResourceType is null && ResourceId is null && From is null && To is null
        && Text is null && IncludeRolledBack;

    /// <summary>The WHERE condition, with the time range already turned into sequence bounds.</summary>
    internal async Task<string> WhereSqlAsync(
        DbConnection connection, DbTransaction? transaction, SqlParameters parameters, RolledBackRanges rolledBack,
        CancellationToken ct)
    {
        UtcTime.CheckRange(From, To);
        _ = Words(); // a query with no word is refused before anything is read
        var needsIndex = (Actor ?? Action ?? ResourceType ?? ResourceId ?? Text) is not null;
        // The index covers entries up to its mark; the few after it are read directly, so nothing appended since its
        // last pass is missed.
        var indexed = needsIndex ? await SearchIndexer.IndexedThroughAsync(connection, transaction, ct) : 0;
        var spellings = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var (field, value) in Fields())
            spellings[field] = await SpellingsAsync(connection, transaction, field, value, ct);
        var bounds = await TimeIndex.BoundsAsync(connection, transaction, From, To, ct);
        return WhereSql(parameters, rolledBack, bounds, indexed, spellings);
    }

    /// <summary>
    /// The WHERE condition from what was looked up: the time range as sequence bounds, the search index's mark and the
    /// stored spellings of each field's value.
    /// </summary>
    internal string WhereSql(SqlParameters parameters, RolledBackRanges rolledBack, SequenceBounds bounds, long indexedThrough,
        IReadOnlyDictionary<string, IReadOnlyList<string>> spellings)
    {
        // The chain is sequences 1 and up; rows planted below it are not entries (verification reports them).
        var sql = new StringBuilder("sequence >= 1");
        if ((Actor ?? Action ?? ResourceType ?? ResourceId ?? Text) is not null)
        {
            var mark = parameters.Add(indexedThrough);
            foreach (var (field, value) in Fields())
            {
                var lower = value.ToLowerInvariant();
                var names = new List<string> { value };
                names.AddRange(spellings.GetValueOrDefault(field, []).Where(s => !names.Contains(s, StringComparer.Ordinal)));
                sql.Append(" AND (").Append(field).Append(" IN (")
                    .AppendJoin(", ", names.Select(s => parameters.Add(s)))
                    .Append(") OR (sequence > ").Append(mark).Append(" AND LOWER(").Append(field).Append(") = ")
                    .Append(parameters.Add(lower)).Append("))");
            }
            foreach (var word in Words())
            {
                var token = parameters.Add(word);
                var like = parameters.Add("%" + word + "%");
                sql.Append(" AND (sequence IN (").Append(LedgerSql.SequencesWithToken(token)).Append(')')
                    .Append(" OR (sequence > ").Append(mark).Append(" AND (LOWER(data) LIKE ").Append(like)
                    .Append(" OR LOWER(details) LIKE ").Append(like).Append(")))");
            }
        }
        if (From is not null) sql.Append(" AND sequence >= ").Append(parameters.Add(bounds.From));
        if (To is not null) sql.Append(" AND sequence <= ").Append(parameters.Add(bounds.To));
        if (ThroughSequence is { } through) sql.Append(" AND sequence <= ").Append(parameters.Add(through));
        if (!IncludeRolledBack) sql.Append(" AND ").Append(rolledBack.ExcludeSql(parameters));
        return sql.ToString();
    }

    /// <summary>The set field filters, by column (the search index names its fields after the columns).</summary>
    private IEnumerable<(string Field, string Value)> Fields()
    {
        if (Actor is not null) yield return (SearchFields.Actor, Actor);
        if (Action is not null) yield return (SearchFields.Action, Action);
        if (ResourceType is not null) yield return (SearchFields.ResourceType, ResourceType);
        if (ResourceId is not null) yield return (SearchFields.ResourceId, ResourceId);
    }

    private IReadOnlyList<string> Words()
    {
        if (Text is null) return [];
        var words = SearchTokens.Of(32, Text);
        return words.Count > 0 ? words
            : throw new AuditValidationException("q", $"must hold a word of at least {SearchTokens.MinLength} letters or digits");
    }

    /// <summary>The stored spellings of a value the search index knows, in any case ("Alice" finds "alice" and "ALICE").</summary>
    private static async Task<IReadOnlyList<string>> SpellingsAsync(
        DbConnection connection, DbTransaction? transaction, string field, string value, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = LedgerSql.SearchValueSpellings;
        EntryRows.AddParameter(command, "@field", field);
        EntryRows.AddParameter(command, "@lower", value.ToLowerInvariant());
        var spellings = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) spellings.Add(reader.GetString(0));
        return spellings;
    }

    private static string Required(string value, string field) =>
        string.IsNullOrWhiteSpace(value) ? throw new AuditValidationException(field, "is required and must not be empty") : value;
}
