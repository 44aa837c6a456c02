using System.Net.Http.Json;
using System.Text;
using Microsoft.Playwright;

namespace MonitorConsole.E2E;

/// <summary>What a compliance officer and a data scientist do, in a real browser, on one running console.</summary>
public sealed class ConsoleFlowTests(ConsoleApp app) : IClassFixture<ConsoleApp>
{
    [Fact]
    public async Task DataScientist_CreatesAModelWithACron_SeesItsNextRuns_FeedsDataAndSeesTheChart()
    {
        await app.AddUserAsync("dora", "DataScientist");
        var page = await app.OpenAsync("/models/new", "dora");
        await page.GetByLabel("Model id").FillAsync("e2e_model");
        await page.GetByLabel("Version").FillAsync("1.0.0");
        await page.GetByTestId("schedule-kind").ClickAsync();
        await page.GetByText("Custom (cron)").ClickAsync();
        await page.GetByLabel("Time zone (IANA)").FillAsync("Europe/Berlin");
        await page.GetByLabel("Cron (5-field crontab, e.g. 0 9 * * MON-FRI)").FillAsync("30 6 * * MON-FRI");
        await page.GetByLabel("Cron (5-field crontab, e.g. 0 9 * * MON-FRI)").PressAsync("Tab");
        var preview = page.GetByTestId("schedule-preview");
        await Assertions.Expect(preview.Locator("tbody tr")).ToHaveCountAsync(5, new() { Timeout = 30_000 });
        Assert.Contains("06:30", await preview.Locator("tbody tr").First.InnerTextAsync());
        await ConsoleApp.ScreenshotAsync(page, "04-model-form");
        await page.GetByTestId("save-model").ClickAsync();
        await page.WaitForURLAsync("**/models/e2e_model/edit");

        // Her notebook uploads the baseline with her session; the platform feeds drifted observations with its API key.
        var baseline = "age,income\n" + string.Join('\n', Enumerable.Range(0, 300).Select(i => $"{20 + i % 40},{30000 + i * 97 % 50000}"));
        var upload = await page.APIRequest.PutAsync("/api/models/e2e_model/baseline", new APIRequestContextOptions
        {
            Data = baseline,
            Headers = new Dictionary<string, string> { ["Content-Type"] = "text/csv" },
        });
        Assert.True(upload.Ok, await upload.TextAsync());
        using var platform = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        platform.DefaultRequestHeaders.Authorization = new("Bearer", await app.CreateKeyAsync("observations:write"));
        var rows = Enumerable.Range(0, 300).Select(i => new { age = 35 + i % 40, income = 30000 + i * 97 % 50000 });
        (await platform.PostAsJsonAsync("/api/models/e2e_model/observations", new { rows })).EnsureSuccessStatusCode();
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await platform.PostAsync("/api/models/e2e_model/runs", null)).StatusCode);
        Assert.True((await page.APIRequest.PostAsync("/api/models/e2e_model/runs")).Ok);

        await page.GotoAsync("/drift/e2e_model");
        await ConsoleApp.WaitInteractiveAsync(page);
        await page.Locator("[data-testid=drift-chart] svg").First.WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        Assert.Contains("CRITICAL", await page.GetByTestId("latest-report").InnerTextAsync());
        await ConsoleApp.ScreenshotAsync(page, "05-drift-chart");
        Assert.Empty(app.CspViolations);
    }

    [Fact]
    public async Task Exports_DownloadFromTheBrowser_AndTheJsonVerifiesOfflineWithTheCli()
    {
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", await app.CreateKeyAsync("audit:append"));
        (await http.PostAsJsonAsync("/api/audit/entries", new { action = "=SUM(A1)", actor = "e2e", resource_type = "model" })).EnsureSuccessStatusCode();
        await app.AddUserAsync("olivia", "Auditor");
        var page = await app.OpenAsync("/exports", "olivia");
        await ConsoleApp.ScreenshotAsync(page, "06-exports");

        var json = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("export-chain-json").ClickAsync());
        Assert.Matches(@"^audit-chain-\d{4}-\d{2}-\d{2}\.json$", json.SuggestedFilename);
        var jsonPath = Path.Combine(app.Folder, json.SuggestedFilename);
        await json.SaveAsAsync(jsonPath);
        var csv = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("export-chain-csv").ClickAsync());
        var csvPath = Path.Combine(app.Folder, csv.SuggestedFilename);
        await csv.SaveAsAsync(csvPath);
        Assert.Contains("'=SUM(A1)", await File.ReadAllTextAsync(csvPath));

        var (code, output) = await app.CliAsync("audit", "verify-export", jsonPath);
        Assert.True(code == 0, output);
        Assert.Contains("valid", output);
    }
}

/// <summary>A new user's first look, on a console of its own that starts without accounts or data.</summary>
public sealed class FirstRunTests(EmptyConsoleApp app) : IClassFixture<EmptyConsoleApp>
{
    [Fact]
    public async Task FirstRun_CreatesTheAdministratorWithDemoData_ThenTheTrailCanBeBrowsedAndFiltered()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/");
        await page.WaitForURLAsync("**/signin?**");
        Assert.True(await page.GetByTestId("setup-pending").IsVisibleAsync());
        await ConsoleApp.ScreenshotAsync(page, "00-sign-in");

        await page.GotoAsync(await app.SetupLinkAsync());
        await page.Locator("#user-name").FillAsync("ada");
        await page.Locator("#password").FillAsync("ada's long passphrase");
        await page.Locator("#confirm").FillAsync("ada's long passphrase");
        await page.GetByTestId("setup-demo").CheckAsync();
        await ConsoleApp.ScreenshotAsync(page, "00-setup");
        await page.GetByTestId("setup-submit").ClickAsync();
        await ConsoleApp.WaitInteractiveAsync(page);
        await page.GetByTestId("recent-entries").WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        Assert.Contains("ada · Admin", await page.GetByTestId("signed-in-as").InnerTextAsync());
        await ConsoleApp.ScreenshotAsync(page, "01-overview");

        // The setup link works once only.
        var again = await app.NewPageAsync();
        await again.GotoAsync(await app.SetupLinkAsync());
        Assert.True(await again.GetByTestId("setup-closed").IsVisibleAsync());

        await page.GotoAsync("/audit");
        await ConsoleApp.WaitInteractiveAsync(page);
        await page.GetByLabel("Actor").FillAsync("alice.chen");
        await page.GetByTestId("apply-filters").ClickAsync();
        await page.WaitForURLAsync("**/audit?actor=alice.chen");
        // The URL changes before the filtered trail replaces the unfiltered one: wait until no other actor is shown.
        var actors = page.Locator("[data-testid=trail] tbody tr td:nth-child(4)");
        await Assertions.Expect(actors.Filter(new() { HasNotText = "alice.chen" })).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        var rows = page.Locator("[data-testid=trail] tbody tr");
        await rows.First.WaitForAsync();
        Assert.True(await rows.CountAsync() > 0);
        foreach (var actor in await actors.AllInnerTextsAsync())
            Assert.Equal("alice.chen", actor.Trim());
        await ConsoleApp.ScreenshotAsync(page, "02-audit-trail-filtered");

        await page.Locator("[data-testid=trail] tbody tr td a").First.ClickAsync();
        await page.GetByTestId("neighbours").WaitForAsync();
        await ConsoleApp.ScreenshotAsync(page, "03-entry-detail");
    }
}
