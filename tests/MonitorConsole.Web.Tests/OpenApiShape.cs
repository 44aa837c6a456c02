using System.Text.Json;

namespace MonitorConsole.Web.Tests;

/// <summary>Reads an OpenAPI 3.1 document just enough to compare real JSON answers with the schemas it declares.</summary>
internal sealed class OpenApiShape(JsonElement document)
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    public List<string> Failures { get; } = [];

    public static IEnumerable<(string Name, string Method, JsonElement Operation)> Operations(JsonElement document) =>
        from path in document.GetProperty("paths").EnumerateObject()
        from operation in path.Value.EnumerateObject()
        where Methods.Contains(operation.Name)
        select ($"{operation.Name.ToUpperInvariant()} {path.Name}", operation.Name, operation.Value);

    /// <summary>A response or request body with at least one content type, each with a schema that says something.</summary>
    public static bool HasSchemas(JsonElement body) =>
        body.TryGetProperty("content", out var content) && content.EnumerateObject().Any() &&
        content.EnumerateObject().All(media => media.Value.TryGetProperty("schema", out var schema) &&
                                               schema.ValueKind == JsonValueKind.Object && schema.EnumerateObject().Any());

    public static bool IsProblem(JsonElement responses, int status) =>
        responses.TryGetProperty(status.ToString(System.Globalization.CultureInfo.InvariantCulture), out var response) &&
        response.TryGetProperty("content", out var content) &&
        content.TryGetProperty("application/problem+json", out var media) && media.TryGetProperty("schema", out _);

    /// <summary>Checks the answer's status and that its JSON has exactly the properties its declared schema names.</summary>
    public async Task CheckAsync(HttpResponseMessage response, string operation, int status, int? oneOf = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        if ((int)response.StatusCode != status)
        {
            Failures.Add($"{operation}: answered {(int)response.StatusCode}, expected {status}: {text}");
            return;
        }
        var (method, path) = (operation.Split(' ')[0].ToLowerInvariant(), operation.Split(' ')[1]);
        var content = document.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("responses")
            .GetProperty(status.ToString(System.Globalization.CultureInfo.InvariantCulture)).GetProperty("content");
        var media = content.EnumerateObject().First().Value;
        var schema = Resolve(media.GetProperty("schema"));
        if (oneOf is { } index) schema = Resolve(schema.GetProperty("oneOf")[index]);
        Conform(JsonDocument.Parse(text).RootElement, schema, operation, status >= 400);
    }

    private void Conform(JsonElement value, JsonElement schema, string where, bool problem = false)
    {
        schema = Resolve(schema);
        if (schema.TryGetProperty("type", out var type) && !Allows(type, value.ValueKind))
        {
            Failures.Add($"{where}: is {value.ValueKind}, the schema says {type}");
            return;
        }
        if (value.ValueKind == JsonValueKind.Object && schema.TryGetProperty("properties", out var properties))
        {
            var declared = properties.EnumerateObject().Select(p => p.Name).ToHashSet();
            var sent = value.EnumerateObject().Select(p => p.Name).ToHashSet();
            foreach (var extra in sent.Except(declared)) Failures.Add($"{where}: sends '{extra}', which its schema does not declare");
            // A problem's members other than title and status are there only when they apply.
            foreach (var missing in declared.Except(sent).Where(n => !problem))
                Failures.Add($"{where}: its schema declares '{missing}', which it does not send");
            foreach (var property in value.EnumerateObject().Where(p => declared.Contains(p.Name)))
                Conform(property.Value, properties.GetProperty(property.Name), $"{where}.{property.Name}");
        }
        else if (value.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out var items))
        {
            foreach (var (item, i) in value.EnumerateArray().Take(3).Select((item, i) => (item, i)))
                Conform(item, items, $"{where}[{i}]");
        }
    }

    private JsonElement Resolve(JsonElement schema)
    {
        while (schema.TryGetProperty("$ref", out var reference))
            schema = document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1]);
        return schema;
    }

    private static bool Allows(JsonElement type, JsonValueKind kind)
    {
        var allowed = type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()).ToList() : [type.GetString()];
        return kind switch
        {
            JsonValueKind.Null => allowed.Contains("null"),
            JsonValueKind.String => allowed.Contains("string"),
            JsonValueKind.Number => allowed.Contains("number") || allowed.Contains("integer"),
            JsonValueKind.True or JsonValueKind.False => allowed.Contains("boolean"),
            JsonValueKind.Object => allowed.Contains("object"),
            JsonValueKind.Array => allowed.Contains("array"),
            _ => false,
        };
    }
}
