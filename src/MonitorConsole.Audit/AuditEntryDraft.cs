using System.Text.Json;

namespace MonitorConsole.Audit;

/// <summary>What a caller asks to append. <see cref="Data"/> and <see cref="Details"/> are JSON texts.</summary>
public sealed record AuditEntryDraft(
    string Action,
    string Actor,
    string ResourceType,
    string? ResourceId = null,
    string? Data = null,
    string? Details = null)
{
    private static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web);

    /// <summary>Builds a draft from in-process objects, serialized to JSON with web defaults.</summary>
    public static AuditEntryDraft FromObjects(
        string action, string actor, string resourceType, string? resourceId, object? data, object? details = null) =>
        new(action, actor, resourceType, resourceId,
            data is null ? null : JsonSerializer.Serialize(data, SerializerOptions),
            details is null ? null : JsonSerializer.Serialize(details, SerializerOptions));
}
