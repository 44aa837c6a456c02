using System.Net;
using Microsoft.Playwright;
using MonitorConsole.E2E.Deployment;
using MonitorConsole.Tests.Shared;

namespace MonitorConsole.E2E;

/// <summary>
/// The console the way it is deployed: published, in Production, two nodes on one PostgreSQL database, each with its
/// own home folder, behind nginx terminating TLS with the configuration docs/examples shows.
/// </summary>
public sealed class DeploymentTests
{
    [Fact]
    public async Task TwoProductionNodesBehindNginx_SignInWorks_AndTheSessionSurvivesItsNodeStopping()
    {
        Nginx.RequireInstalled();
        await using var pg = await PostgresDatabase.CreateAsync();
        var secrets = Path.Combine(Path.GetTempPath(), "mc-e2e", "secrets-" + Guid.NewGuid().ToString("N")[..8]);
        var certificate = TestCertificate.Create(secrets);
        int portA = PublishedConsole.FreePort(), portB = PublishedConsole.FreePort(), httpsB = PublishedConsole.FreePort();
        var shared = new Dictionary<string, string>
        {
            ["Audit__Database"] = pg.ConnectionString,
            // One checkpoint signing key for the whole cluster, mounted on every node (docs/operations.md).
            ["Audit__Checkpoints__SigningKeyFile"] = Path.Combine(secrets, "checkpoint-signing-key.pem"),
            ["Audit__Checkpoints__PublicKeysDirectory"] = Path.Combine(secrets, "checkpoint-keys"),
        };
        await using var nodeA = await PublishedConsole.StartAsync("node-a", $"http://127.0.0.1:{portA}/health", new Dictionary<string, string>(shared)
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{portA}",
            ["Access__BootstrapAdmin__UserName"] = ConsoleApp.AdminName,
            ["Access__BootstrapAdmin__Password"] = ConsoleApp.Password,
        });
        // Node B also serves HTTPS itself, from configuration alone.
        await using var nodeB = await PublishedConsole.StartAsync("node-b", $"http://127.0.0.1:{portB}/health", new Dictionary<string, string>(shared)
        {
            ["Kestrel__Endpoints__Http__Url"] = $"http://127.0.0.1:{portB}",
            ["Kestrel__Endpoints__Https__Url"] = $"https://127.0.0.1:{httpsB}",
            ["Kestrel__Endpoints__Https__Certificate__Path"] = certificate.CertificatePath,
            ["Kestrel__Endpoints__Https__Certificate__KeyPath"] = certificate.KeyPath,
        });
        await using var nginx = await Nginx.StartAsync(certificate, portA, portB);
        var logs = () => $"node A:\n{nodeA.Log}\nnode B:\n{nodeB.Log}\nnginx:\n{nginx.ErrorLog()}";

        // Plain HTTP straight to a node gets a page saying how to serve the console, never a failed sign-in...
        using var plain = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var refused = await plain.GetAsync($"http://127.0.0.1:{portA}/signin");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("served over HTTPS only", await refused.Content.ReadAsStringAsync());
        // ...or, where the node serves HTTPS itself, a redirect there.
        var redirected = await plain.GetAsync($"http://127.0.0.1:{portB}/signin");
        Assert.Equal(HttpStatusCode.TemporaryRedirect, redirected.StatusCode);
        Assert.Equal($"https://127.0.0.1:{httpsB}/signin", redirected.Headers.Location?.ToString());

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = nginx.BaseUrl,
            IgnoreHTTPSErrors = true,
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        await page.GotoAsync("/signin");
        await ConsoleApp.SignInAsync(page, ConsoleApp.AdminName, ConsoleApp.Password);
        await page.WaitForURLAsync(url => !url.Contains("/signin", StringComparison.Ordinal));
        await ConsoleApp.WaitInteractiveAsync(page);
        await ConsoleApp.ScreenshotAsync(page, "20-production-behind-proxy");
        var cookies = (await context.CookiesAsync()).Where(c => c.Name.StartsWith("monitorconsole.", StringComparison.Ordinal)).ToList();
        Assert.All(cookies, c => Assert.True(c.Secure, $"{c.Name} is not Secure"));
        var me = await page.APIRequest.GetAsync("/api/me");
        Assert.True(me.Status == 200, logs());
        var servedBy = me.Headers["x-served-by"];
        Assert.Equal(403, (await page.APIRequest.GetAsync("/metrics")).Status);

        // The session is good on every node, over each way in: its keys are in the shared database.
        using var direct = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true });
        var cookieHeader = string.Join("; ", cookies.Select(c => $"{c.Name}={c.Value}"));
        foreach (var url in new[] { $"http://127.0.0.1:{portA}/api/me", $"http://127.0.0.1:{portB}/api/me", $"https://127.0.0.1:{httpsB}/api/me" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Add("Cookie", cookieHeader);
            // What a proxy on the same machine says; only loopback is believed without configuration.
            if (url.StartsWith("http:", StringComparison.Ordinal)) request.Headers.Add("X-Forwarded-Proto", "https");
            var response = await direct.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url} answered {response.StatusCode}\n{logs()}");
        }

        // So when the node serving this person stops, nginx moves them to the other one and they stay signed in.
        var serving = servedBy.EndsWith($":{portA}", StringComparison.Ordinal) ? nodeA : nodeB;
        // The open page's live circuit dies with its node (Blazor then reloads it); a new page shows where they land.
        await page.CloseAsync();
        await serving.StopAsync();
        page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        await page.GotoAsync("/audit");
        await ConsoleApp.WaitInteractiveAsync(page);
        Assert.DoesNotContain("/signin", page.Url, StringComparison.Ordinal);
        var after = await page.APIRequest.GetAsync("/api/me");
        Assert.Equal(200, after.Status);
        Assert.NotEqual(servedBy, after.Headers["x-served-by"]);
        await ConsoleApp.ScreenshotAsync(page, "21-production-after-node-stopped");
        await context.CloseAsync();
        try
        {
            Directory.Delete(secrets, true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
