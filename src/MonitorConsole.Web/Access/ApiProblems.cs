using Microsoft.AspNetCore.Mvc;

namespace MonitorConsole.Web.Access;

/// <summary>Problem-details answers written by authentication and limits, outside the endpoints.</summary>
internal static class ApiProblems
{
    public static bool IsApi(HttpRequest request) =>
        request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/openapi");

    public static Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(
            new ProblemDetails { Status = status, Title = title, Detail = detail },
            options: null, contentType: "application/problem+json");
    }
}
