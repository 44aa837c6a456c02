using System.Text.Json;
using System.Text.Unicode;
using MonitorConsole.Audit;

namespace MonitorConsole.Web.Api;

/// <summary>
/// Every JSON request body is read through here: checked to be UTF-8 before parsing and fully decodable after
/// (no escaped lone surrogates), because the parser checks strings only when they are read, which would otherwise
/// surface as a server error halfway through handling the request.
/// </summary>
internal static class RequestJson
{
    public static async Task<JsonDocument> ParseAsync(HttpRequest request, CancellationToken ct)
    {
        var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        // The document keeps using these bytes (no second copy); they live as long as it does.
        var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        if (!Utf8.IsValid(bytes.Span)) throw new AuditValidationException("body", "is not valid UTF-8");
        var document = JsonDocument.Parse(bytes);
        try
        {
            JsonText.CheckDecodable(document.RootElement, "body");
            return document;
        }
        catch
        {
            document.Dispose();
            throw;
        }
    }

    public static async Task<T?> ReadAsync<T>(HttpRequest request, JsonSerializerOptions options, CancellationToken ct)
    {
        using var document = await ParseAsync(request, ct);
        return document.RootElement.Deserialize<T>(options);
    }
}
