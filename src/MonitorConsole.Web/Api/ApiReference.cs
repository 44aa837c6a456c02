using Scalar.AspNetCore;

namespace MonitorConsole.Web.Api;

/// <summary>
/// The OpenAPI document browsable at /api-docs (Scalar). Everything it loads comes from the console itself: no
/// fonts, telemetry or assistant from elsewhere, since consoles often run where the internet is out of reach.
/// </summary>
internal static class ApiReference
{
    public const string Path = "/api-docs";

    public static void MapApiReference(this IEndpointRouteBuilder app) =>
        app.MapScalarApiReference(Path, options => options
            .WithTitle("MonitorConsole HTTP API")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json")
            .DisableDefaultFonts()
            .DisableTelemetry()
            .DisableAgent()
            .DisableMcp());
}
