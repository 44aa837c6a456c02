using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace MonitorConsole.E2E;

/// <summary>
/// Every page of a console with demo data, scanned by axe-core with the WCAG 2.1 A and AA rules, on a desktop and on
/// a 390-px phone: no serious or critical violation, and nothing wider than the phone's screen.
/// </summary>
public sealed class AccessibilityTests(EmptyConsoleApp app) : IClassFixture<EmptyConsoleApp>
{
    private static readonly string[] Pages =
    [
        "/", "/audit", "/audit/entries/1", "/verify", "/drift", "/drift/credit_risk", "/models", "/models/new",
        "/models/credit_risk/edit", "/exports", "/admin/users", "/admin/keys", "/status",
    ];

    private static readonly AxeRunOptions Wcag21 = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    };

    [Fact]
    public async Task EveryPage_HasNoSeriousOrCriticalViolation_OnADesktopOrAPhone()
    {
        // A fresh console set up as a first-time administrator would, with the demo data, so every page has content.
        var setup = await app.NewPageAsync();
        await setup.GotoAsync(await app.SetupLinkAsync());
        await setup.Locator("#user-name").FillAsync(ConsoleApp.AdminName);
        await setup.Locator("#password").FillAsync(ConsoleApp.Password);
        await setup.Locator("#confirm").FillAsync(ConsoleApp.Password);
        await setup.GetByTestId("setup-demo").CheckAsync();
        await setup.GetByTestId("setup-submit").ClickAsync();
        await ConsoleApp.WaitInteractiveAsync(setup);
        await setup.GetByTestId("recent-entries").WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        await setup.Context.CloseAsync();
        var found = new List<string>();
        foreach (var (width, height, label) in new[] { (1400, 900, "desktop"), (390, 844, "phone") })
        {
            foreach (var path in Pages)
            {
                var page = await app.OpenAtWidthAsync(ConsoleApp.AdminName, width, height);
                await page.GotoAsync(path);
                await ConsoleApp.WaitInteractiveAsync(page);
                await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
                var result = await page.RunAxe(Wcag21);
                found.AddRange(result.Violations.Where(v => v.Impact is "serious" or "critical")
                    .Select(v => $"{label} {path}: {v.Id} ({v.Impact}) {v.Help} — {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}"));
                var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - window.innerWidth");
                if (overflow > 1) found.Add($"{label} {path}: the page is {overflow} px wider than the screen");
                await ConsoleApp.ScreenshotAsync(page, $"a11y-{label}{path.Replace('/', '-').TrimEnd('-')}");
                await page.Context.CloseAsync();
            }
        }
        Assert.True(found.Count == 0, string.Join('\n', found));
    }
}
