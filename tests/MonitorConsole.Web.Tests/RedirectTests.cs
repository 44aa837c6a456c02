using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using MonitorConsole.Audit.Queries;
using MonitorConsole.Access;
using MonitorConsole.Web.Access;

namespace MonitorConsole.Web.Tests;

/// <summary>Return URLs after signing in stay on this site, on every sign-in path.</summary>
public sealed class LocalRedirectTests
{
    public static TheoryData<string> HostileReturnUrls() =>
    [
        "",
        "//evil.example",
        "//evil.example/audit",
        "/\\evil.example",
        "\\\\evil.example",
        "\\/evil.example",
        "/%09/evil.example",
        "/\t/evil.example",
        "/\r\n/evil.example",
        "/%0d%0aSet-Cookie:%20x=1",
        "/%2F%2Fevil.example",
        "/%2fevil.example",
        "/%5Cevil.example",
        "/%255Cevil.example",
        "/%25255C%25255Cevil.example",
        "/audit\\..\\evil",
        "/\u0000/evil.example",
        "/\u200B/evil.example",
        "/\u2028/evil.example",
        "http://evil.example",
        "https://evil.example/signin",
        "HTTP://evil.example",
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "evil.example",
        " /audit",
        "~/audit",
        "audit",
        "/" + new string('a', LocalRedirect.MaxLength),
    ];

    [Theory]
    [MemberData(nameof(HostileReturnUrls))]
    public void AHostileReturnUrl_BecomesTheHomePage(string url)
    {
        Assert.False(LocalRedirect.IsLocal(url));
        Assert.Equal("/", LocalRedirect.Sanitize(url));
    }

    [Fact]
    public void NoReturnUrl_IsTheHomePage() => Assert.Equal("/", LocalRedirect.Sanitize(null));

    [Theory]
    [InlineData("/")]
    [InlineData("/audit")]
    [InlineData("/audit?actor=alice&include_rolled_back=true")]
    [InlineData("/audit?from=2026-01-01T00:00:00Z&resource_id=a%20b")]
    [InlineData("/audit/entries/3f2a9c")]
    [InlineData("/models/new")]
    public void ALocalPath_IsKeptAsItIs(string url) => Assert.Equal(url, LocalRedirect.Sanitize(url));
}

/// <summary>The password form and the OpenID Connect challenge and return, end to end through the console.</summary>
public sealed class SignInRedirectTests : IAsyncDisposable
{
    private const string Provider = "https://idp.example";

    private readonly ConsoleFactory _factory = new(bootstrapAdmin: true,
        new Dictionary<string, string>
        {
            ["Access:OpenIdConnect:Authority"] = Provider,
            ["Access:OpenIdConnect:ClientId"] = "monitorconsole",
            ["Access:OpenIdConnect:ClientSecret"] = "not-a-real-secret",
        },
        services => services.PostConfigure<OpenIdConnectOptions>("oidc", o =>
        {
            // The provider's metadata, given instead of fetched, so the challenge needs no network.
            var configuration = new OpenIdConnectConfiguration
            {
                Issuer = Provider, AuthorizationEndpoint = $"{Provider}/authorize", TokenEndpoint = $"{Provider}/token",
            };
            o.Configuration = configuration;
            o.ConfigurationManager = new StaticConfigurationManager<OpenIdConnectConfiguration>(configuration);
        }));

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task PasswordSignIn_SendsHostileReturnUrlsHome_AndKeepsALocalOne()
    {
        string[] hostile = ["//evil.example/x", "/\\evil.example", "/%09/evil.example", "\\\\evil.example", "http://evil.example"];
        foreach (var url in hostile)
            Assert.True("/" == await SignInWithReturnUrlAsync(url), $"ReturnUrl {url} was followed");
        Assert.Equal("/audit?actor=alice", await SignInWithReturnUrlAsync("/audit?actor=alice"));
    }

    [Fact]
    public async Task OidcChallenge_CarriesOnlyALocalReturnUrl_ToTheProvider()
    {
        Assert.Equal("/", await ChallengeRedirectUriAsync("//evil.example"));
        Assert.Equal("/", await ChallengeRedirectUriAsync("/%09/evil.example"));
        Assert.Equal("/", await ChallengeRedirectUriAsync("https://evil.example"));
        Assert.Equal("/verify", await ChallengeRedirectUriAsync("/verify"));
    }

    [Fact]
    public async Task OidcReturn_IsCheckedAgain_WhenTheProviderSendsThePersonBack()
    {
        var (options, scheme, http) = await OidcAsync();
        var ticket = new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity("oidc")), "oidc");
        var context = new TicketReceivedContext(http, scheme, options, ticket) { ReturnUri = "/\\evil.example" };
        await options.Events.TicketReceived(context);
        Assert.Equal("/", context.ReturnUri);
    }

    [Theory]
    [InlineData("system:scheduler")]
    [InlineData("Key:pipeline")]
    [InlineData("CLI:root")]
    [InlineData("anonymous")]
    [InlineData("")]
    public async Task OidcSignIn_IsRefused_ForANameThatCouldImpersonateAKeyOrSystemActor(string name)
    {
        var (options, scheme, http) = await OidcAsync();
        var context = new TokenValidatedContext(http, scheme, options, Person(name), new AuthenticationProperties());
        await options.Events.TokenValidated(context);

        Assert.NotNull(context.Result?.Failure);
        Assert.Contains("preferred_username: ", context.Result.Failure.Message);
        var failures = await TrailAsync(ActionLog.SignInFailed);
        Assert.Contains(failures, e => e.Entry.Actor == "anonymous" && e.Entry.Data!.Contains("reserved_or_invalid_name", StringComparison.Ordinal));
        Assert.DoesNotContain(await TrailAsync(ActionLog.SignIn), e => e.Entry.Data!.Contains("oidc", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OidcSignIn_OfAnOrdinaryName_IsRecordedWithItsRole()
    {
        var (options, scheme, http) = await OidcAsync();
        var context = new TokenValidatedContext(http, scheme, options, Person("dana"), new AuthenticationProperties());
        await options.Events.TokenValidated(context);

        Assert.Null(context.Result);
        Assert.True(context.Principal!.HasClaim(ClaimTypes.Role, ConsoleRoles.DataScientist));
        Assert.Contains(await TrailAsync(ActionLog.SignIn), e => e.Entry.Actor == "dana");
    }

    private async Task<string> SignInWithReturnUrlAsync(string returnUrl)
    {
        var client = _factory.Anonymous();
        var path = "/signin?ReturnUrl=" + Uri.EscapeDataString(returnUrl);
        var page = await client.GetStringAsync(path);
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        var response = await client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "signin", ["__RequestVerificationToken"] = token,
            ["Input.UserName"] = ConsoleFactory.AdminName, ["Input.Password"] = ConsoleFactory.Password,
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        if (!location.IsAbsoluteUri) return location.OriginalString;
        Assert.Equal("localhost", location.Host);
        return location.PathAndQuery;
    }

    private async Task<string?> ChallengeRedirectUriAsync(string returnUrl)
    {
        var response = await _factory.Anonymous().GetAsync("/account/external?returnUrl=" + Uri.EscapeDataString(returnUrl));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.StartsWith($"{Provider}/authorize?", location.AbsoluteUri);
        var state = QueryHelpers.ParseQuery(location.Query)["state"].ToString();
        var (options, _, _) = await OidcAsync();
        return options.StateDataFormat.Unprotect(state)!.RedirectUri;
    }

    private async Task<(OpenIdConnectOptions Options, AuthenticationScheme Scheme, HttpContext Http)> OidcAsync()
    {
        using var _ = _factory.CreateClient();
        var options = _factory.Services.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>().Get("oidc");
        var scheme = (await _factory.Services.GetRequiredService<IAuthenticationSchemeProvider>().GetSchemeAsync("oidc"))!;
        return (options, scheme, new DefaultHttpContext { RequestServices = _factory.Services });
    }

    private static ClaimsPrincipal Person(string name) => new(new ClaimsIdentity(
        [new Claim("preferred_username", name), new Claim("roles", "datascientist")], "oidc", "preferred_username", "roles"));

    private async Task<IReadOnlyList<AuditEntryView>> TrailAsync(string action) =>
        (await _factory.Services.GetRequiredService<AuditQueries>().GetTrailAsync(new TrailFilter { Action = action }, null, 100)).Entries;
}
