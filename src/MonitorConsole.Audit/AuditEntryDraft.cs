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

    /// <summary>
    /// Reads the wire form shared by the HTTP API and JSON Lines imports: {"action", "actor", "resource_type",
    /// "resource_id", "data", "details"}, where data and details are any JSON. Errors name the field under
    /// <paramref name="path"/>.
    /// </summary>
    public static AuditEntryDraft FromJson(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object) throw new AuditValidationException(path, "must be a JSON object");
        JsonText.CheckDecodable(element, path);
        string? Text(string name) =>
            !element.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null ? null
            : v.ValueKind == JsonValueKind.String ? JsonText.Get(v, $"{path}.{name}")
            : throw new AuditValidationException($"{path}.{name}", "must be a string");
        string? Raw(string name) =>
            element.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? JsonText.Raw(v, $"{path}.{name}") : null;
        return new AuditEntryDraft(Text("action") ?? "", Text("actor") ?? "", Text("resource_type") ?? "",
            Text("resource_id"), Raw("data"), Raw("details"));
    }

    /// <summary>Builds a draft from in-process objects, serialized to JSON with web defaults.</summary>
    public static AuditEntryDraft FromObjects(
        string action, string actor, string resourceType, string? resourceId, object? data, object? details = null) =>
        new(action, actor, resourceType, resourceId,
            data is null ? null : JsonSerializer.Serialize(data, SerializerOptions),
            details is null ? null : JsonSerializer.Serialize(details, SerializerOptions));
}
