using System.Text.Json;

namespace MonitorConsole.Audit;

/// <summary>
/// Reads strings out of untrusted JSON. A JSON text may escape a lone surrogate (<c>"\ud800"</c>), which no .NET string
/// can hold as valid text, and the parser checks the UTF-8 inside strings only when they are read; either way
/// System.Text.Json throws InvalidOperationException. Here that becomes bad input naming the field, like any other.
/// </summary>
public static class JsonText
{
    public static string Get(JsonElement element, string field) => Decode(element.GetString, field)!;

    public static string Name(JsonProperty property, string field) => Decode(() => property.Name, field)!;

    /// <summary>The element's JSON text; its strings are checked to be valid UTF-8 only now, so this can fail too.</summary>
    public static string Raw(JsonElement element, string field) => Decode(element.GetRawText, field)!;

    /// <summary>
    /// Reads every string and property name once, so that nothing read from the document later can fail on its
    /// text (even looking a property up compares names, and that decodes them). Errors name the first bad place.
    /// </summary>
    public static void CheckDecodable(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    var name = Name(property, path);
                    CheckDecodable(property.Value, $"{path}.{name}");
                }
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray()) CheckDecodable(item, $"{path}[{index++}]");
                break;
            case JsonValueKind.String:
                Get(element, path);
                break;
        }
    }

    private static string? Decode(Func<string?> read, string field)
    {
        try
        {
            return read();
        }
        catch (InvalidOperationException)
        {
            throw new AuditValidationException(field, "contains invalid UTF-8 or an escaped lone surrogate");
        }
    }
}
