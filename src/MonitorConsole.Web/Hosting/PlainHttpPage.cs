using System.Net;
using MonitorConsole.Web.Access;

namespace MonitorConsole.Web.Hosting;

/// <summary>
/// Where HTTPS is required, a request that arrived over plain HTTP gets this instead of a page whose HTTPS-only
/// cookies the browser would drop (which used to end in a failed sign-in). Health and metrics stay reachable over
/// HTTP: load balancers and scrapers usually probe the node directly (the caller leaves them out).
/// </summary>
internal static class PlainHttpPage
{
    public const int Status = StatusCodes.Status403Forbidden;

    public static Task UnlessHttpsAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (request.IsHttps) return next(context);
        if (ApiProblems.IsApi(request))
            return ApiProblems.WriteAsync(context, Status, "HTTPS required",
                "This console accepts API requests over HTTPS only; call it with https://, or through the reverse proxy that serves it.");
        context.Response.StatusCode = Status;
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(Html(request));
    }

    /// <summary>Health checks and metrics scrapes, which stay on plain HTTP.</summary>
    public static bool IsProbe(HttpRequest request, string metricsPath) =>
        request.Path.StartsWithSegments("/health") || request.Path.StartsWithSegments(metricsPath);

    private static string Html(HttpRequest request)
    {
        var https = WebUtility.HtmlEncode($"https://{request.Host}{request.PathBase}{request.Path}");
        return $$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>MonitorConsole needs HTTPS</title>
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <style>body{font-family:system-ui,sans-serif;max-width:42rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#1f2328}code{background:#f0f0f0;padding:0 .25rem}</style>
            </head><body>
            <h1>This console is served over HTTPS only</h1>
            <p>Your request arrived over plain HTTP, so the console did not answer it: sign-in cookies are never sent
            unencrypted. Try <a href="{{https}}">{{https}}</a>.</p>
            <h2>For the administrator</h2>
            <ul>
            <li><strong>Behind a reverse proxy</strong> that terminates TLS: make it send <code>X-Forwarded-Proto</code> and
            <code>X-Forwarded-For</code>. A proxy on the same machine is believed as it is; list any other under
            <code>Hosting:KnownProxies</code> or <code>Hosting:KnownNetworks</code>.</li>
            <li><strong>HTTPS on the console itself</strong>: configure <code>Kestrel:Endpoints:Https</code> with a certificate.</li>
            <li><strong>A trial on a private network</strong>: <code>Hosting:AllowPlainHttp=true</code> accepts plain HTTP
            (sessions then travel in clear).</li>
            </ul>
            <p>docs/operations.md shows each of these.</p>
            </body></html>
            """;
    }
}
