using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using MonitorConsole.Access;
using MonitorConsole.Audit;
using MonitorConsole.Monitoring;

namespace MonitorConsole.Web.Access;

/// <summary>
/// Sign-in (local accounts, optionally OpenID Connect), API keys, permissions, limits and security headers. A request
/// carrying an API key is authenticated by the key; anything else by the session cookie.
/// </summary>
internal static class ConsoleAccess
{
    public const string Scheme = "Console";
    public const string ExternalScheme = "oidc";

    public static void AddConsoleAccess(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.Configure<AccessOptions>(configuration.GetSection("Access"));
        var external = configuration.GetSection("Access:OpenIdConnect").Get<ExternalSignInOptions>() ?? new ExternalSignInOptions();
        services.AddSingleton(external);

        // Development and tests run on plain http://localhost; where HTTPS is required the cookies never travel in clear.
        var cookiePolicy = Hosting.ConsoleHosting.Options(configuration).RequiresHttps(environment) ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        new IdentityBuilder(typeof(IdentityUser), typeof(IdentityRole), services).AddSignInManager();
        var authentication = services.AddAuthentication(o =>
            {
                o.DefaultScheme = Scheme;
                o.DefaultChallengeScheme = Scheme;
                o.DefaultSignInScheme = IdentityConstants.ApplicationScheme;
            })
            .AddPolicyScheme(Scheme, "Session or API key", o => o.ForwardDefaultSelector = context =>
                ApiKeyAuthenticationHandler.TokenFrom(context.Request) is null ? IdentityConstants.ApplicationScheme : ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        authentication.AddIdentityCookies();
        if (external.Enabled) AddExternal(authentication, external);

        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "monitorconsole.session";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = cookiePolicy;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
            o.LoginPath = "/signin";
            o.AccessDeniedPath = "/denied";
            o.Events.OnRedirectToLogin = context => ApiOrRedirect(context, 401, "Not signed in", "sign in to the console, or send an API key");
            o.Events.OnRedirectToAccessDenied = context => ApiOrRedirect(context, 403, "Forbidden", "your role does not allow this request");
        });
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "monitorconsole.antiforgery";
            o.Cookie.SecurePolicy = cookiePolicy;
        });

        services.AddAuthorization(PermissionPolicies.Add);
        services.AddSingleton<IAuthorizationHandler, PermissionHandler>();
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, SessionRevalidation>();
        services.AddScoped<CurrentCaller>();
        services.AddSingleton<FirstRunSetup>();
        services.AddHostedService(sp => sp.GetRequiredService<FirstRunSetup>());
        services.AddRateLimiter(ApiKeyLimits.Configure);
    }

    public static void UseConsoleAccess(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.Use(ApiKeyLimits.LimitBodyAsync);
    }

    private static Task ApiOrRedirect(RedirectContext<CookieAuthenticationOptions> context, int status, string title, string detail)
    {
        if (ApiProblems.IsApi(context.Request)) return ApiProblems.WriteAsync(context.HttpContext, status, title, detail);
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    private static void AddExternal(AuthenticationBuilder authentication, ExternalSignInOptions external) =>
        authentication.AddOpenIdConnect(ExternalScheme, external.DisplayName, o =>
        {
            o.Authority = external.Authority;
            o.ClientId = external.ClientId;
            o.ClientSecret = external.ClientSecret;
            o.ResponseType = "code";
            o.UsePkce = true;
            o.MapInboundClaims = false;
            o.SignInScheme = IdentityConstants.ApplicationScheme;
            o.Scope.Add("profile");
            o.TokenValidationParameters.NameClaimType = external.NameClaim;
            o.Events.OnTokenValidated = async context =>
            {
                var identity = (ClaimsIdentity)context.Principal!.Identity!;
                var log = context.HttpContext.RequestServices.GetRequiredService<ActionLog>();
                var remoteIp = context.HttpContext.Connection.RemoteIpAddress?.ToString();
                try
                {
                    // The provider's name becomes the actor in the ledger: it may not pass for a key, the console
                    // itself, the command line or "anonymous".
                    UserAccounts.CheckName(identity.Name, external.NameClaim);
                }
                catch (AccessInputException ex)
                {
                    await log.RecordAsync(ActionLog.SignInFailed, LedgerVocabulary.AnonymousActor, "user", Truncate(identity.Name),
                        new { reason = "reserved_or_invalid_name", method = "oidc", problem = ex.Message, remote_ip = remoteIp });
                    context.Fail(ex.Message);
                    return;
                }
                var roles = identity.FindAll(external.RoleClaim).Select(c => ConsoleRoles.Normalize(c.Value)).OfType<string>().Distinct().ToList();
                foreach (var role in roles) identity.AddClaim(new Claim(ClaimTypes.Role, role));
                await log.RecordAsync(ActionLog.SignIn, identity.Name!, "user", identity.Name,
                    new { method = "oidc", roles, remote_ip = remoteIp });
            };
            // Where the provider sends the person back to was set from a sanitized return URL; checked again here.
            o.Events.OnTicketReceived = context =>
            {
                context.ReturnUri = LocalRedirect.Sanitize(context.ReturnUri);
                return Task.CompletedTask;
            };
            o.Events.OnRemoteFailure = context =>
            {
                context.Response.Redirect($"/signin?{ExternalFailedQuery}=1");
                context.HandleResponse();
                return Task.CompletedTask;
            };
        });

    /// <summary>The sign-in page shows that the organisation's sign-in did not succeed when its URL carries this.</summary>
    public const string ExternalFailedQuery = "external_failed";

    private static string? Truncate(string? name) => name is { Length: > 200 } ? name[..200] : name;
}
