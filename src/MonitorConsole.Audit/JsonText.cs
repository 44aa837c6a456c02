using System.Text.Json;

namespace MonitorConsole.Audit;

/// <summary>
/// Reads strings out of untrusted JSON. A JSON text may escape a lone surrogate (<c>"\ud800"</c>), which no .NET string
/// can hold as valid text; System.Text.Json then throws InvalidOperationException. Here that becomes bad input naming
/// the field, like any other.
/// </summary>
public static class JsonText
{
    public static string Get(JsonElement element, string field) => Decode(element.GetString, field)!;

    public static string Name(JsonProperty property, string field) => Decode(() => property.Name, field)!;

    private static string? Decode(Func<string?> read, string field)
    {
        try
        {
            return read();
        }
        catch (InvalidOperationException)
        {
            throw new AuditValidationException(field, "contains an escaped lone surrogate or invalid UTF-16");
        }
    }
}
