using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace MonitorConsole.Audit.Chain;

/// <summary>A validated draft with its JSON serialized once, ready to be chained.</summary>
internal sealed record PreparedEntry(
    string Action, string Actor, string ResourceType, string? ResourceId, string Data, string DataHash, string? Details);

/// <summary>Validates drafts and serializes their JSON once; every error names the field.</summary>
internal sealed class EntryPreparer(int maxJsonBytes)
{
    public const int MaxJsonDepth = 64;

    private static readonly UTF8Encoding StrictUtf8 = new(false, true);
    private static readonly JsonWriterOptions CompactWriter = new()
    {
        Indented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = false,
    };

    public PreparedEntry Prepare(AuditEntryDraft draft, bool allowReserved = false)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var action = RequiredName(draft.Action, "action");
        if (!allowReserved && LedgerVocabulary.IsReservedLookalike(action))
            throw new AuditValidationException("action", $"'{action}' is reserved for the ledger itself");
        var actor = RequiredName(draft.Actor, "actor");
        var resourceType = RequiredName(draft.ResourceType, "resource_type");
        var resourceId = string.IsNullOrWhiteSpace(draft.ResourceId) ? null : CheckedText(draft.ResourceId, "resource_id");
        var data = draft.Data is null ? "{}" : NormalizeJson(draft.Data, "data");
        var details = draft.Details is null ? null : NormalizeJson(draft.Details, "details");
        return new PreparedEntry(action, actor, resourceType, resourceId, data, HashSpec.ComputeDataHash(data), details);
    }

    private static string RequiredName(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value)) throw new AuditValidationException(field, "is required and must not be empty");
        return CheckedText(value, field);
    }

    private static string CheckedText(string value, string field)
    {
        if (value.Length > Storage.AuditSchema.MaxNameLength)
            throw new AuditValidationException(field, $"is longer than {Storage.AuditSchema.MaxNameLength} characters");
        CheckString(value, field);
        return value;
    }

    private static void CheckString(string value, string field)
    {
        if (value.Contains('\0')) throw new AuditValidationException(field, "contains a NUL character");
        for (var i = 0; i < value.Length; i++)
        {
            if (!char.IsSurrogate(value[i])) continue;
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])) { i++; continue; }
            throw new AuditValidationException(field, $"contains a lone surrogate (U+{(int)value[i]:X4}) at position {i}");
        }
    }

    private string NormalizeJson(string text, string field)
    {
        CheckString(text, field);
        if (StrictUtf8.GetByteCount(text) > maxJsonBytes)
            throw new AuditValidationException(field, $"is larger than the limit of {maxJsonBytes} bytes");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = MaxJsonDepth });
        }
        catch (JsonException ex)
        {
            throw new AuditValidationException(field, $"is not valid JSON ({ex.Message})");
        }
        using (document)
        {
            CheckElement(document.RootElement, field);
            using var buffer = new MemoryStream(text.Length);
            using (var writer = new Utf8JsonWriter(buffer, CompactWriter)) document.RootElement.WriteTo(writer);
            return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
    }

    private static void CheckElement(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    var name = JsonText.Name(property, path);
                    CheckString(name, path);
                    CheckElement(property.Value, $"{path}.{name}");
                }
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray()) CheckElement(item, $"{path}[{index++}]");
                break;
            case JsonValueKind.String:
                CheckString(JsonText.Get(element, path), path);
                break;
            case JsonValueKind.Number:
                if (!element.TryGetDouble(out var number) || !double.IsFinite(number))
                    throw new AuditValidationException(path, $"number {element.GetRawText()} is not a finite double");
                break;
        }
    }
}
