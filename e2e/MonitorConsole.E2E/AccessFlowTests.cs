using System.Net.Http.Json;
using Microsoft.Playwright;

namespace MonitorConsole.E2E;

/// <summary>Who may see and do what, in a real browser: sign-in, refusals, sign-out, and the security policy.</summary>
public sealed class AccessFlowTests(ConsoleApp app) : IClassFixture<ConsoleApp>
{
    [Fact]
    public async Task Anonymous_IsSentToSignIn_AWrongPasswordSaysSo_AndTheRightOneReturnsToThePage()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/audit?actor=root");
        await page.WaitForURLAsync("**/signin?**");
        await ConsoleApp.SignInAsync(page, ConsoleApp.AdminName, "not the password");
        Assert.Contains("wrong", await page.GetByTestId("signin-error").InnerTextAsync());
        await ConsoleApp.ScreenshotAsync(page, "09-sign-in-failed");
        await ConsoleApp.SignInAsync(page, ConsoleApp.AdminName, ConsoleApp.Password);
        await page.WaitForURLAsync("**/audit?actor=root");
        await ConsoleApp.WaitInteractiveAsync(page);

        // The failed attempt and the sign-in are both in the ledger.
        var rows = page.Locator("[data-testid=trail] tbody tr");
        await rows.First.WaitForAsync();
        Assert.Contains("SIGN_IN", await page.GetByTestId("trail").InnerTextAsync());
        await page.GotoAsync("/audit?resource_type=user&resource_id=root&action=SIGN_IN_FAILED");
        await ConsoleApp.WaitInteractiveAsync(page);
        Assert.Contains("anonymous", await page.GetByTestId("trail").InnerTextAsync());

        await page.GetByTestId("sign-out").ClickAsync();
        await page.WaitForURLAsync("**/signin");
    }

    [Fact]
    public async Task Auditor_CanReadAndVerify_ButIsRefusedModelChangesAndAdministration_InPageAndApi()
    {
        await app.AddUserAsync("otto", "Auditor");
        var page = await app.OpenAsync("/models", "otto");
        Assert.Equal(0, await page.GetByTestId("new-model").CountAsync());
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Users" })).ToHaveCountAsync(0);

        await page.GotoAsync("/models/new");
        await page.GetByTestId("access-denied").WaitForAsync();
        await ConsoleApp.ScreenshotAsync(page, "10-auditor-refused");
        await page.GotoAsync("/admin/keys");
        await page.GetByTestId("access-denied").WaitForAsync();

        var put = await page.APIRequest.PutAsync("/api/models/sneaky", new APIRequestContextOptions { DataObject = new { model_version = "1" } });
        Assert.Equal(403, put.Status);
        var rollback = await page.APIRequest.PostAsync("/api/audit/rollback", new APIRequestContextOptions { DataObject = new { to_hash = new string('a', 64), reason = "x" } });
        Assert.Equal(403, rollback.Status);
        Assert.Equal(200, (await page.APIRequest.GetAsync("/api/audit/entries")).Status);
    }

    [Fact]
    public async Task Admin_CreatesAnApiKey_SeesItOnce_AndTheConsoleRunsWithoutSecurityPolicyViolations()
    {
        var page = await app.OpenAsync("/admin/keys");
        await page.GetByTestId("key-name").FillAsync("feature-store");
        await page.GetByTestId("create-key").ClickAsync();
        var token = (await page.GetByTestId("new-key-token").InnerTextAsync()).Trim();
        Assert.StartsWith("mc_", token);
        await ConsoleApp.ScreenshotAsync(page, "11-api-key-created");

        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var response = await http.GetAsync("/api/audit/entries");
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, response.StatusCode); // audit:append only, no read
        Assert.Contains("frame-ancestors 'none'", string.Join(";", response.Headers.GetValues("Content-Security-Policy")));

        foreach (var path in new[] { "/", "/audit", "/verify", "/drift", "/models", "/exports", "/admin/users" })
        {
            await page.GotoAsync(path);
            await ConsoleApp.WaitInteractiveAsync(page);
        }
        Assert.Empty(app.CspViolations);
    }

    [Fact]
    public async Task Admin_RollsBackFromTheEntryPage_AndTheRollbackIsRecordedUnderTheirName()
    {
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", await app.CreateKeyAsync("audit:append"));
        var sequences = new List<long>();
        foreach (var step in new[] { "deploy v1", "deploy v2 (bad)", "hotfix" })
        {
            var response = await http.PostAsJsonAsync("/api/audit/entries",
                new { action = "DEPLOY", actor = "ci", resource_type = "model", resource_id = "credit_risk", data = new { step } });
            using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            sequences.Add(body.RootElement.GetProperty("sequence").GetInt64());
        }

        var page = await app.OpenAsync($"/audit/entries/{sequences[0]}");
        await page.GetByTestId("rollback-reason").FillAsync("v2 shipped a broken threshold");
        await page.GetByTestId("rollback").ClickAsync();
        await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Roll back", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(url => !url.EndsWith($"/audit/entries/{sequences[0]}", StringComparison.Ordinal));
        // The URL changes before the new entry is rendered (and the old page's text mentions ROLLBACK): wait on the entry's own table.
        var fields = page.Locator("table").First;
        await Assertions.Expect(fields).ToContainTextAsync("ROLLBACK", new() { Timeout = 30_000 });
        await Assertions.Expect(fields).ToContainTextAsync(ConsoleApp.AdminName);
        await ConsoleApp.ScreenshotAsync(page, "12-rollback-recorded");

        await page.GotoAsync($"/audit/entries/{sequences[1]}");
        await page.GetByTestId("rolled-back").WaitForAsync();
    }
}
