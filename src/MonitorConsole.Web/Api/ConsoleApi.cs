namespace MonitorConsole.Web.Api;

public static class ConsoleApi
{
    /// <summary>The HTTP API (OpenAPI document at /openapi/v1.json); the health endpoints are in Operations.</summary>
    public static void MapConsoleApi(this IEndpointRouteBuilder app)
    {
        AuditEndpoints.Map(app);
        ModelEndpoints.Map(app);
        AccessEndpoints.Map(app);
        ProofEndpoints.Map(app);
    }
}
