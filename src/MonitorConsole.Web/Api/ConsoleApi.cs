namespace MonitorConsole.Web.Api;

public static class ConsoleApi
{
    /// <summary>The HTTP API (OpenAPI document at /openapi/v1.json); the health endpoints are in Operations.</summary>
    public static void MapConsoleApi(this IEndpointRouteBuilder app)
    {
        // Every operation needs a session or an API key (401 without), and a key's requests meet its budget (429).
        var api = app.MapGroup("").ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status429TooManyRequests);
        AuditEndpoints.Map(api);
        ModelEndpoints.Map(api);
        AccessEndpoints.Map(api);
        ProofEndpoints.Map(api);
        EvidenceEndpoints.Map(api);
    }
}
