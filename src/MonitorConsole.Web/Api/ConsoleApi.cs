namespace MonitorConsole.Web.Api;

public static class ConsoleApi
{
    /// <summary>The HTTP API (OpenAPI document at /openapi/v1.json) and /health.</summary>
    public static void MapConsoleApi(this IEndpointRouteBuilder app)
    {
        AuditEndpoints.Map(app);
        ModelEndpoints.Map(app);
        app.MapHealthChecks("/health", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions
        {
            ResponseWriter = async (context, report) =>
            {
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsJsonAsync(new
                {
                    status = report.Status.ToString(),
                    checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), e.Value.Description, e.Value.Data }),
                });
            },
        }).AllowAnonymous();
        AccessEndpoints.Map(app);
        ProofEndpoints.Map(app);
    }
}
