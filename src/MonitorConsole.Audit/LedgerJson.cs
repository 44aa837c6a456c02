using System.Text.Json;
using System.Text.Json.Serialization;

namespace MonitorConsole.Audit;

/// <summary>How the console writes the JSON it puts into ledger entries and its API: snake_case keys, nulls left out.</summary>
public static class LedgerJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseUpper) },
    };
}
