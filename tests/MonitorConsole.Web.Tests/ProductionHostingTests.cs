using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace MonitorConsole.Web.Tests;

/// <summary>The console in Production: HTTPS required, forwarded headers believed only from known proxies, keys shared by nodes.</summary>
public sealed class ProductionHostingTests
{
    private static readonly Uri Https = new("https://localhost");

    [Fact]
    public async Task PlainHttp_InProduction_GetsAPageSayingHowToServeHttps_WhileHealthStaysReachable()
    {
        await using var console = Production();
        using var client = console.Anonymous();

        var page = await client.GetAsync("/signin");
        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        var text = await page.Content.ReadAsStringAsync();
        Assert.Contains("served over HTTPS only", text);
        Assert.Contains("Hosting:KnownProxies", text);
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());

        var api = await client.GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
        Assert.Contains("HTTPS", await api.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        Assert.Empty(console.ServerErrors);
    }

    [Fact]
    public async Task SignIn_InProductionOverHttps_Succeeds_WithSecureCookies_AndKeysInTheDatabase()
    {
        await using var console = Production();
        using var client = console.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = Https, AllowAutoRedirect = false, HandleCookies = false });

        var session = await SignInAsync(client);

        Assert.Contains("secure", session.SetCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", session.SetCookie, StringComparison.OrdinalIgnoreCase);
        Assert.True(await CountAsync(console, "SELECT count(*) FROM data_protection_keys") >= 1);
        Assert.Empty(console.ServerErrors);
    }

    [Fact]
    public async Task ASessionMadeOnOneNode_IsAcceptedByAnotherNodeOnTheSameDatabase()
    {
        await using var first = Production();
        using var firstClient = first.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = Https, AllowAutoRedirect = false, HandleCookies = false });
        var session = await SignInAsync(firstClient);
        await using var second = Production(new Dictionary<string, string> { ["Audit:Database"] = first.DatabaseUrl });
        using var secondClient = second.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = Https, AllowAutoRedirect = false, HandleCookies = false });

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        request.Headers.Add("Cookie", session.Cookie);
        var me = await secondClient.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Contains(ConsoleFactory.AdminName, await me.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("127.0.0.1", null, HttpStatusCode.OK)]
    [InlineData("203.0.113.5", null, HttpStatusCode.Forbidden)]
    [InlineData("203.0.113.5", "203.0.113.5", HttpStatusCode.OK)]
    public async Task ForwardedProto_IsBelievedOnlyFromLoopbackOrAConfiguredProxy(string remote, string? knownProxy, HttpStatusCode expected)
    {
        var settings = new Dictionary<string, string>();
        if (knownProxy is not null) settings["Hosting:KnownProxies:0"] = knownProxy;
        await using var console = Production(settings, IPAddress.Parse(remote));
        using var client = console.Anonymous();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/signin");
        request.Headers.Add("X-Forwarded-Proto", "https");

        Assert.Equal(expected, (await client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task AllowPlainHttp_LetsATrialRunOnHttp_WithCookiesThatSayNotSecure()
    {
        await using var console = Production(new Dictionary<string, string> { ["Hosting:AllowPlainHttp"] = "true" });
        using var client = console.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

        var session = await SignInAsync(client);

        Assert.DoesNotContain("secure", session.SetCookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void AMistypedProxyAddress_StopsStartUp_NamingTheSetting()
    {
        using var console = Production(new Dictionary<string, string> { ["Hosting:KnownProxies:0"] = "10.0.0.300" });

        var error = Assert.ThrowsAny<Exception>(() => console.CreateClient());

        Assert.Contains("Hosting:KnownProxies: '10.0.0.300' is not an IP address", error.ToString());
    }

    private static ConsoleFactory Production(Dictionary<string, string>? settings = null, IPAddress? remote = null)
    {
        settings ??= [];
        settings["environment"] = "Production";
        return new ConsoleFactory(bootstrapAdmin: true, settings, remote is null ? null : services => services.AddSingleton<IStartupFilter>(new RemoteAddress(remote)));
    }

    private static async Task<(string Cookie, string SetCookie)> SignInAsync(HttpClient client)
    {
        var form = await client.GetAsync("/signin");
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        var antiforgery = form.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("monitorconsole.antiforgery=", StringComparison.Ordinal)).Split(';')[0];
        using var post = new HttpRequestMessage(HttpMethod.Post, "/signin")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "signin",
                ["__RequestVerificationToken"] = ConsoleFactory.AntiforgeryToken(await form.Content.ReadAsStringAsync()),
                ["Input.UserName"] = ConsoleFactory.AdminName,
                ["Input.Password"] = ConsoleFactory.Password,
            }),
        };
        post.Headers.Add("Cookie", antiforgery);
        var signedIn = await client.SendAsync(post);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var setCookie = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("monitorconsole.session=", StringComparison.Ordinal));
        return (setCookie.Split(';')[0], setCookie);
    }

    private static async Task<long> CountAsync(ConsoleFactory console, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={console.DatabaseUrl["sqlite:///".Length..]}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The test server has no socket; this gives requests the client address a real connection would have.</summary>
    private sealed class RemoteAddress(IPAddress address) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((HttpContext context, RequestDelegate following) =>
            {
                context.Connection.RemoteIpAddress = address;
                return following(context);
            });
            next(app);
        };
    }
}
