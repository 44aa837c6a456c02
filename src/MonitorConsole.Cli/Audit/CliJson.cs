using System.Text.Encodings.Web;
using System.Text.Json;

namespace MonitorConsole.Cli.Audit;

/// <summary>JSON output of the CLI: snake_case keys, as the API and the docs show them.</summary>
public static class CliJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);
}
