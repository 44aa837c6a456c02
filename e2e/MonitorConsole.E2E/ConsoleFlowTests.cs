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
    public async Task Exports_OfMoreThan100kEntries_DownloadWholeFromTheBrowser_VerifyOffline_AndMatchTheirDeliveryRecords()
    {
        // Seeded through the API as a feeding service would: 100,000 entries in five batches, every fifth a formula.
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl), Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", await app.CreateKeyAsync("audit:append"));
        for (var batch = 0; batch < 5; batch++)
        {
            var entries = Enumerable.Range(batch * 20_000, 20_000).Select(i => new
            {
                action = i % 5 == 0 ? "=SUM(A1)" : "MODEL_UPDATED", actor = $"service_{i % 20}", resource_type = "model",
                resource_id = $"m{i % 300}", data = new { i, note = "ümlaut, \"quoted\", comma" },
            });
            (await http.PostAsJsonAsync("/api/audit/entries", entries)).EnsureSuccessStatusCode();
        }
        await app.AddUserAsync("olivia", "Auditor");
        var page = await app.OpenAsync("/exports", "olivia");
        await ConsoleApp.ScreenshotAsync(page, "06-exports");

        foreach (var (button, extension) in new[] { ("export-chain-csv", "csv"), ("export-chain-json", "json") })
        {
            var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId(button).ClickAsync());
            Assert.Matches($@"^audit-chain-\d{{4}}-\d{{2}}-\d{{2}}\.{extension}$", download.SuggestedFilename);
            Assert.Null(await download.FailureAsync());
            var path = Path.Combine(app.Folder, download.SuggestedFilename);
            await download.SaveAsAsync(path);

            var (code, output) = await app.CliAsync("audit", "verify-export", path);
            Assert.True(code == 0, output);
            var verified = System.Text.RegularExpressions.Regex.Match(output, @"complete chain: (\d+) of \d+ entries verified");
            Assert.True(verified.Success && long.Parse(verified.Groups[1].Value) > 100_000, output);

            // An auditor matches the file in hand to its record: sha256sum FILE equals the recorded sha256.
            string sha256;
            await using (var file = File.OpenRead(path)) sha256 = Convert.ToHexStringLower(await System.Security.Cryptography.SHA256.HashDataAsync(file));
            var record = await DeliveryRecordAsync(page, sha256);
            Assert.Equal(new FileInfo(path).Length, record.GetProperty("bytes").GetInt64());
            Assert.Equal(extension, record.GetProperty("format").GetString());
        }
        var csvText = await File.ReadAllTextAsync(Directory.GetFiles(app.Folder, "audit-chain-*.csv").Single());
        Assert.Contains(",'=SUM(A1),", csvText);
    }

    /// <summary>The LEDGER_EXPORT_DELIVERED entry with this sha256; it is written as the download ends, so wait for it.</summary>
    private static async Task<System.Text.Json.JsonElement> DeliveryRecordAsync(IPage page, string sha256)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var response = await page.APIRequest.GetAsync("/api/audit/entries?action=LEDGER_EXPORT_DELIVERED&limit=20");
            using var body = System.Text.Json.JsonDocument.Parse(await response.TextAsync());
            foreach (var entry in body.RootElement.GetProperty("entries").EnumerateArray())
            {
                var data = System.Text.Json.JsonDocument.Parse(entry.GetProperty("data").GetString()!).RootElement;
                if (data.GetProperty("sha256").GetString() == sha256) return data.Clone();
            }
            await Task.Delay(100);
        }
        throw new InvalidOperationException($"no LEDGER_EXPORT_DELIVERED entry records sha256 {sha256}");
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
