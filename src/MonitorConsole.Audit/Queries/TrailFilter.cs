using System.Data.Common;
using System.Text;
using MonitorConsole.Audit.Storage;

namespace MonitorConsole.Audit.Queries;

/// <summary>
/// Which entries a trail or export covers. All set fields must match; times are UTC and inclusive. Rolled-back entries
/// are left out unless <see cref="IncludeRolledBack"/>.
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

    public static readonly TrailFilter All = new();

    public static TrailFilter ForActor(string actor) => new() { Actor = Required(actor, "actor") };

    public static TrailFilter ForResource(string resourceType, string? resourceId) =>
        new() { ResourceType = Required(resourceType, "resource_type"), ResourceId = resourceId };

    /// <summary>True when the filter selects every entry, rolled back or not: the whole chain.</summary>
    public bool IsWholeChain =>
        Actor is null && Action is null && ResourceType is null && ResourceId is null && From is null && To is null
        && IncludeRolledBack;

    /// <summary>The WHERE condition, with the time range already turned into sequence bounds.</summary>
    internal async Task<string> WhereSqlAsync(
        DbConnection connection, DbTransaction? transaction, SqlParameters parameters, RolledBackRanges rolledBack,
        CancellationToken ct)
    {
        UtcTime.CheckRange(From, To);
        // The chain is sequences 1 and up; rows planted below it are not entries (verification reports them).
        var sql = new StringBuilder("sequence >= 1");
        Add(sql, parameters, "actor", Actor);
        Add(sql, parameters, "action", Action);
        Add(sql, parameters, "resource_type", ResourceType);
        Add(sql, parameters, "resource_id", ResourceId);
        var bounds = await TimeIndex.BoundsAsync(connection, transaction, From, To, ct);
        if (From is not null) sql.Append(" AND sequence >= ").Append(parameters.Add(bounds.From));
        if (To is not null) sql.Append(" AND sequence <= ").Append(parameters.Add(bounds.To));
        if (!IncludeRolledBack) sql.Append(" AND ").Append(rolledBack.ExcludeSql(parameters));
        return sql.ToString();
    }

    private static void Add(StringBuilder sql, SqlParameters parameters, string column, string? value)
    {
        if (value is null) return;
        sql.Append(" AND ").Append(column).Append(" = ").Append(parameters.Add(value));
    }

    private static string Required(string value, string field) =>
        string.IsNullOrWhiteSpace(value) ? throw new AuditValidationException(field, "is required and must not be empty") : value;
}
