using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using MonitorConsole.Access;

namespace MonitorConsole.Web.Access;

/// <summary>
/// Services authenticate with <c>Authorization: Bearer mc_…</c> (or <c>X-Api-Key: mc_…</c>). The key's scopes and limits
/// become claims; an unknown or revoked key is a 401.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyService keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    public static string? TokenFrom(HttpRequest request)
    {
        if (request.Headers[HeaderName].ToString() is { Length: > 0 } header) return header.Trim();
        var authorization = request.Headers.Authorization.ToString();
        const string bearer = "Bearer ";
        return authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase) &&
               authorization.AsSpan(bearer.Length).TrimStart().StartsWith(ApiKeyService.TokenPrefix)
            ? authorization[bearer.Length..].Trim()
            : null;
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (TokenFrom(Request) is not { } token) return AuthenticateResult.NoResult();
        var key = await keys.AuthenticateAsync(token, Context.RequestAborted);
        if (key is null) return AuthenticateResult.Fail("unknown or revoked API key");
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, Caller.KeyActor(key.Name)),
            new(CallerPrincipal.KeyIdClaim, key.KeyId),
            new(CallerPrincipal.KeyNameClaim, key.Name),
            new(CallerPrincipal.RequestsPerMinuteClaim, key.RequestsPerMinute.ToString(CultureInfo.InvariantCulture)),
            new(CallerPrincipal.MaxBodyBytesClaim, key.MaxBodyBytes.ToString(CultureInfo.InvariantCulture)),
        };
        claims.AddRange(key.Scopes.Select(s => new Claim(CallerPrincipal.ScopeClaim, s)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer realm=\"monitorconsole\"";
        return ApiProblems.WriteAsync(Context, 401, "Not signed in", "a valid API key (Authorization: Bearer mc_…) or a console session is required");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiProblems.WriteAsync(Context, 403, "Forbidden", "this API key's scopes do not allow this request");
}
