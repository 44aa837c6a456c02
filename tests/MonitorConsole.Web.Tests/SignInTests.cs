using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using MonitorConsole.Access;

namespace MonitorConsole.Web.Tests;

public sealed class SignInTests : IAsyncDisposable
{
    private readonly ConsoleFactory _factory = new();

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task RepeatedFailures_LockTheAccount_EvenForTheRightPassword_AndEachAttemptIsInTheLedger()
    {
        await _factory.SignInAsync(ConsoleRoles.Auditor, "mallory-target");
        var client = _factory.Anonymous();
        for (var i = 0; i < 4; i++)
            Assert.Contains("wrong", await (await ConsoleFactory.PostSignInAsync(client, "mallory-target", "guess " + i)).Content.ReadAsStringAsync());
        // The fifth failure locks the account.
        Assert.Contains("locked", await (await ConsoleFactory.PostSignInAsync(client, "mallory-target", "guess 4")).Content.ReadAsStringAsync());
        var locked = await ConsoleFactory.PostSignInAsync(client, "mallory-target", ConsoleFactory.Password);
        Assert.Equal(HttpStatusCode.OK, locked.StatusCode);
        Assert.Contains("locked", await locked.Content.ReadAsStringAsync());

        var admin = await _factory.SignInAsync(ConsoleRoles.Admin);
        var trail = await AuditApiTests.Json(await admin.GetAsync("/api/audit/entries?action=SIGN_IN_FAILED&resource_id=mallory-target&limit=100"));
        var reasons = trail.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("data").GetString()!).ToList();
        Assert.Equal(6, reasons.Count);
        Assert.Contains("locked_out", reasons[0]);
        Assert.All(trail.GetProperty("entries").EnumerateArray(), e => Assert.Equal("anonymous", e.GetProperty("actor").GetString()));
    }

    [Fact]
    public async Task SignInWithoutTheAntiforgeryToken_IsRefused()
    {
        var client = _factory.Anonymous();
        var response = await client.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "signin", ["Input.UserName"] = ConsoleFactory.AdminName, ["Input.Password"] = ConsoleFactory.Password,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task SignIn_NeverRedirectsOffSite()
    {
        var client = _factory.Anonymous();
        var page = await client.GetStringAsync("/signin?ReturnUrl=//evil.example/x");
        var token = Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        var response = await client.PostAsync("/signin?ReturnUrl=//evil.example/x", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "signin", ["__RequestVerificationToken"] = token,
            ["Input.UserName"] = ConsoleFactory.AdminName, ["Input.Password"] = ConsoleFactory.Password,
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.IsAbsoluteUri ? response.Headers.Location.AbsolutePath : response.Headers.Location.OriginalString);
    }

    [Fact]
    public async Task SignOut_NeedsTheFormsToken_EndsTheSession_AndIsAudited()
    {
        var client = await _factory.SignInAsync(ConsoleRoles.Auditor, "sam");
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/account/signout", null)).StatusCode);
        var page = await client.GetStringAsync("/");
        var token = Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        var signOut = await client.PostAsync("/account/signout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/me")).StatusCode);
        var admin = await _factory.SignInAsync(ConsoleRoles.Admin);
        var trail = await AuditApiTests.Json(await admin.GetAsync("/api/audit/entries?actor=sam"));
        Assert.Equal(["SIGN_OUT", "SIGN_IN"], trail.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("action").GetString()));
    }

    [Fact]
    public async Task Responses_CarryTheSecurityHeaders_AndTheSessionCookieIsHttpOnly()
    {
        var client = _factory.Anonymous();
        var page = await client.GetAsync("/signin");
        var csp = Assert.Single(page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self';", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", page.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());

        var signIn = await ConsoleFactory.PostSignInAsync(client, ConsoleFactory.AdminName, ConsoleFactory.Password);
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("monitorconsole.session=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
    }
}

public sealed class ApiKeyLimitTests : IAsyncDisposable
{
    private readonly ConsoleFactory _factory = new();

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task AKeyOverItsRequestBudget_Gets429WithRetryAfter_OtherKeysDoNot()
    {
        var slow = _factory.KeyClient((await _factory.CreateKeyAsync(requestsPerMinute: 3, scopes: ApiKeyScopes.Read)).Token);
        var other = await _factory.KeyClientAsync(ApiKeyScopes.Read);
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await slow.GetAsync("/api/me")).StatusCode);
        var refused = await slow.GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task ABodyOverTheKeysLimit_Gets413_DeclaredOrStreamed_AndNothingIsWritten()
    {
        var key = _factory.KeyClient((await _factory.CreateKeyAsync(maxBodyBytes: 1024, scopes: [ApiKeyScopes.AuditAppend, ApiKeyScopes.Read])).Token);
        var big = """{"action":"A","actor":"x","resource_type":"t","data":{"blob":"BLOB"}}""".Replace("BLOB", new string('x', 4000), StringComparison.Ordinal);
        var declared = await key.PostAsync("/api/audit/entries", new StringContent(big, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, declared.StatusCode);
        var streamed = new StreamContent(new NoLengthStream(Encoding.UTF8.GetBytes(big)));
        streamed.Headers.ContentType = new("application/json");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await key.PostAsync("/api/audit/entries", streamed)).StatusCode);
        var stats = await AuditApiTests.Json(await key.GetAsync("/api/audit/stats"));
        Assert.Equal(0, stats.GetProperty("action_counts").EnumerateObject().Count(p => p.Name == "A"));
        Assert.Equal(HttpStatusCode.Created, (await key.PostAsync("/api/audit/entries",
            new StringContent("""{"action":"A","actor":"x","resource_type":"t"}""", Encoding.UTF8, "application/json"))).StatusCode);
    }

    [Fact]
    public async Task ARevokedOrForgedKey_Gets401()
    {
        var created = await _factory.CreateKeyAsync(scopes: ApiKeyScopes.Read);
        var client = _factory.KeyClient(created.Token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/me")).StatusCode);
        var admin = await _factory.SignInAsync(ConsoleRoles.Admin);
        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"/api/keys/{created.Key.KeyId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _factory.KeyClient("mc_000000000000_forged").GetAsync("/api/me")).StatusCode);
    }

    /// <summary>A body sent chunked, without a Content-Length.</summary>
    private sealed class NoLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
