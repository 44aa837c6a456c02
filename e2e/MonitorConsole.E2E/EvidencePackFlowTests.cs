using System.IO.Compression;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace MonitorConsole.E2E;

/// <summary>An auditor takes an evidence pack of a filtered trail from the console and checks it without the console.</summary>
public sealed class EvidencePackFlowTests(ConsoleApp app) : IClassFixture<ConsoleApp>
{
    private static readonly string[] ExpectedFiles =
        ["entries.json", "checkpoint.json", "inclusion-proofs.jsonl", "VERIFY.md", "report.html", "report.pdf", "SHA256SUMS"];

    [Fact]
    public async Task Auditor_FiltersTheTrail_DownloadsAnEvidencePack_WhoseSumsHold_AndFindsItsRecordInTheTrail()
    {
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", await app.CreateKeyAsync("audit:append"));
        for (var i = 1; i <= 12; i++)
            (await http.PostAsJsonAsync("/api/audit/entries", new { action = "UPDATE", actor = $"user_{i % 3}", resource_type = "model", resource_id = $"m{i}" })).EnsureSuccessStatusCode();
        await app.AddUserAsync("ava", "Auditor");

        var page = await app.OpenAsync("/audit", "ava");
        await page.GetByLabel("Actor").FillAsync("user_1");
        await page.GetByTestId("apply-filters").ClickAsync();
        await page.WaitForURLAsync("**/audit?actor=user_1");
        await Assertions.Expect(page.GetByTestId("evidence-pack-count")).ToHaveTextAsync("4 entries", new() { Timeout = 30_000 });
        Assert.Equal("api/audit/evidence?actor=user_1&include_rolled_back=false",
            await page.GetByTestId("evidence-pack-form").GetAttributeAsync("action"));
        await page.GetByTestId("evidence-pack-submit").HoverAsync();
        await Assertions.Expect(page.GetByText("A zip an auditor can check offline")).ToBeVisibleAsync();
        await page.WaitForTimeoutAsync(500); // the tooltip's fade-in, so the screenshot shows it as a person reads it
        await ConsoleApp.ScreenshotAsync(page, "13-trail-evidence-pack");

        // The browser itself posts the form and downloads the zip: no script in between.
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("evidence-pack-submit").ClickAsync());
        Assert.Null(await download.FailureAsync());
        Assert.Matches(@"^audit-evidence-\d{4}-\d{2}-\d{2}-[0-9a-f]{12}\.zip$", download.SuggestedFilename);
        var path = Path.Combine(app.Folder, download.SuggestedFilename);
        await download.SaveAsAsync(path);

        string sha256;
        await using (var file = File.OpenRead(path)) sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(file));
        Assert.StartsWith(sha256[..12], download.SuggestedFilename[(download.SuggestedFilename.LastIndexOf('-') + 1)..]);
        await CheckPackAsync(path);

        // Offline, with no database: the published CLI verb, against the console's published checkpoint key.
        var publishedKey = Directory.GetFiles(Path.Combine(app.Folder, "keys", "trusted"), "*.pem").Single();
        var (code, output) = await app.CliAsync("audit", "verify-evidence", path, "--public-key", publishedKey);
        Assert.True(code == 0, output);
        Assert.Contains("evidence pack of 4 entries", output);
        Assert.DoesNotContain("FAILED", output);

        // The ledger says the pack was made, with this file's SHA-256: the trail filtered by the action and the hash finds it.
        await page.GotoAsync($"/audit?action=EVIDENCE_PACK_MADE&q={sha256}");
        await ConsoleApp.WaitInteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("trail-total")).ToHaveTextAsync("1 entry", new() { Timeout = 30_000 });
        Assert.Equal("ava", (await page.Locator("[data-testid=trail] tbody tr td:nth-child(4)").InnerTextAsync()).Trim());
        await page.Locator("[data-testid=trail] tbody tr td a").First.ClickAsync();
        await Assertions.Expect(page.GetByTestId("entry-data")).ToContainTextAsync(sha256);
    }

    [Fact]
    public async Task ExportsPage_OffersAPackOfTheWholeChain_AndBothPlacesFitAPhone()
    {
        await app.AddUserAsync("ida", "Auditor");
        var page = await app.OpenAsync("/exports", "ida");
        var card = page.GetByTestId("evidence-pack-card");
        await Assertions.Expect(card.GetByTestId("evidence-pack-count")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d[\d,]* entr(y|ies)$"));
        await Assertions.Expect(card).ToContainTextAsync("monitorconsole audit verify-evidence pack.zip");
        Assert.Equal("api/audit/evidence", await card.GetByTestId("evidence-pack-form").GetAttributeAsync("action"));
        await card.ScreenshotAsync(new() { Path = Path.Combine(ConsoleApp.Artifacts, "14-exports-evidence-card.png") });
        await AssertAccessibleAsync(page);

        var phone = await app.OpenAtWidthAsync("ida", 375, 812);
        foreach (var (path, name) in new[] { ("/exports", "15-phone-exports-evidence"), ("/audit", "16-phone-trail-evidence") })
        {
            await phone.GotoAsync(path);
            await ConsoleApp.WaitInteractiveAsync(phone);
            await Assertions.Expect(phone.GetByTestId("evidence-pack-count")).ToBeVisibleAsync(new() { Timeout = 30_000 });
            var overflow = await phone.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
            await ConsoleApp.ScreenshotAsync(phone, name);
            Assert.True(overflow <= 0, $"{path} is {overflow} px wider than a 375 px phone");
            await AssertAccessibleAsync(phone);
        }
    }

    private static readonly AxeRunOptions Wcag21 = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    };

    /// <summary>No serious or critical WCAG 2.1 A/AA violation on the page as it is now (the button and its count or refusal shown).</summary>
    internal static async Task AssertAccessibleAsync(IPage page)
    {
        var result = await page.RunAxe(Wcag21);
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{page.Url}: {v.Id} ({v.Impact}) {v.Help} — {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}").ToList();
        Assert.True(serious.Count == 0, string.Join('\n', serious));
    }

    /// <summary>What an auditor checks by hand: the files are there, and each matches its line in SHA256SUMS.</summary>
    private static async Task CheckPackAsync(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        var names = zip.Entries.Select(e => e.FullName).ToHashSet();
        foreach (var expected in ExpectedFiles) Assert.Contains(expected, names);

        var sums = new Dictionary<string, string>();
        using (var reader = new StreamReader(zip.GetEntry("SHA256SUMS")!.Open()))
        {
            while (await reader.ReadLineAsync() is { Length: > 0 } line)
            {
                var parts = line.Split("  ", 2);
                sums[parts[1]] = parts[0];
            }
        }
        Assert.Equal(names.Where(n => n != "SHA256SUMS").Order(), sums.Keys.Order());
        foreach (var (name, expected) in sums)
        {
            await using var content = zip.GetEntry(name)!.Open();
            Assert.True(expected == Convert.ToHexStringLower(await SHA256.HashDataAsync(content)), $"{name} does not match SHA256SUMS");
        }

        await using var entries = zip.GetEntry("entries.json")!.Open();
        using var json = await JsonDocument.ParseAsync(entries);
        var actors = json.RootElement.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("actor").GetString()).ToList();
        Assert.Equal(4, actors.Count);
        Assert.All(actors, a => Assert.Equal("user_1", a));
    }
}

/// <summary>A console whose packs hold at most <see cref="MaxEntries"/> entries, so a chain outgrows them quickly.</summary>
public sealed class SmallEvidencePackConsoleApp : ConsoleApp
{
    public const int MaxEntries = 5;

    protected override IReadOnlyDictionary<string, string> Settings =>
        new Dictionary<string, string> { ["Audit__Evidence__MaxEntries"] = MaxEntries.ToString(System.Globalization.CultureInfo.InvariantCulture) };
}

/// <summary>Where a pack would be too large, the console says so at the button instead of offering a download that fails.</summary>
public sealed class EvidencePackRefusalFlowTests(SmallEvidencePackConsoleApp app) : IClassFixture<SmallEvidencePackConsoleApp>
{
    [Fact]
    public async Task ChainLargerThanAPack_IsRefusedAtTheButton_WhileANarrowTrailIsOffered()
    {
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", await app.CreateKeyAsync("audit:append"));
        for (var i = 1; i <= 9; i++)
            (await http.PostAsJsonAsync("/api/audit/entries", new { action = "UPDATE", actor = $"user_{i % 3}", resource_type = "model", resource_id = $"m{i}" })).EnsureSuccessStatusCode();

        var page = await app.OpenAsync("/exports");
        var card = page.GetByTestId("evidence-pack-card");
        await Assertions.Expect(card.GetByTestId("evidence-pack-refused"))
            .ToContainTextAsync($"a pack holds at most {SmallEvidencePackConsoleApp.MaxEntries}", new() { Timeout = 30_000 });
        await Assertions.Expect(card.GetByTestId("evidence-pack-submit")).ToBeDisabledAsync();
        await card.ScreenshotAsync(new() { Path = Path.Combine(ConsoleApp.Artifacts, "17-exports-evidence-refused.png") });

        await page.GotoAsync("/audit");
        await ConsoleApp.WaitInteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("evidence-pack-refused")).ToContainTextAsync("this trail picks", new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByTestId("evidence-pack-submit")).ToBeDisabledAsync();
        await ConsoleApp.ScreenshotAsync(page, "18-trail-evidence-refused");
        await EvidencePackFlowTests.AssertAccessibleAsync(page);

        await page.GotoAsync("/audit?actor=user_1");
        await ConsoleApp.WaitInteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("evidence-pack-count")).ToHaveTextAsync("3 entries", new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByTestId("evidence-pack-submit")).ToBeEnabledAsync();
        Assert.Equal(0, await page.GetByTestId("evidence-pack-refused").CountAsync());

        // The trail outgrows a pack after the page counted it: the post is refused with a page that says why.
        for (var i = 0; i < 3; i++)
            (await http.PostAsJsonAsync("/api/audit/entries", new { action = "UPDATE", actor = "user_1", resource_type = "model", resource_id = "late" })).EnsureSuccessStatusCode();
        await page.GetByTestId("evidence-pack-submit").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "The evidence pack was not made" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync($"picks 6 entries; a pack holds at most {SmallEvidencePackConsoleApp.MaxEntries}");
        await ConsoleApp.ScreenshotAsync(page, "19-evidence-pack-refused-page");
    }
}
