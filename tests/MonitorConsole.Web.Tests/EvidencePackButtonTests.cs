using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MonitorConsole.Access;
using MonitorConsole.Audit;
using MonitorConsole.Web.Components.Pages.Audit;
using MonitorConsole.Web.Components.Pages.Exports;
using MonitorConsole.Web.Components.Shared;

namespace MonitorConsole.Web.Tests;

public sealed class EvidencePackButtonTests : PageContext
{
    [Fact]
    public async Task Trail_ShowsHowManyEntriesThePackHolds_AndPostsTheTrailsFilter_WithTheAntiforgeryToken()
    {
        await SeedAsync(9);
        SignInAs(ConsoleRoles.Auditor);
        var button = Render<EvidencePackButton>(p => p.Add(b => b.Query, new TrailQuery(Actor: "user_1")));

        button.WaitForAssertion(() => Assert.Equal("3 entries", button.Find("[data-testid=evidence-pack-count]").TextContent.Trim()));
        var form = button.Find("[data-testid=evidence-pack-form]");
        Assert.Equal("post", form.GetAttribute("method"));
        // No Blazor submit handler: the browser posts the form itself and saves the zip it gets back.
        Assert.False(form.HasAttribute("blazor:onsubmit"));
        Assert.Equal("api/audit/evidence?actor=user_1&include_rolled_back=false", form.GetAttribute("action"));
        Assert.Equal("test-token", form.QuerySelector($"input[type=hidden][name={TestAntiforgery.FieldName}]")?.GetAttribute("value"));
        var submit = button.Find("[data-testid=evidence-pack-submit]");
        Assert.Equal("submit", submit.GetAttribute("type"));
        Assert.False(submit.HasAttribute("disabled"));
        Assert.Empty(button.FindAll("[data-testid=evidence-pack-refused]"));
    }

    [Fact]
    public async Task Trail_PickingNoEntries_DisablesTheButton_AndSaysWhy()
    {
        await SeedAsync(3);
        var button = Render<EvidencePackButton>(p => p.Add(b => b.Query, new TrailQuery(Actor: "nobody")));

        button.WaitForAssertion(() => Assert.Contains("picks no entries, so there is nothing to prove",
            button.Find("[data-testid=evidence-pack-refused]").TextContent));
        Assert.True(button.Find("[data-testid=evidence-pack-submit]").HasAttribute("disabled"));
        Assert.Empty(button.FindAll("[data-testid=evidence-pack-count]"));
    }

    [Fact]
    public async Task WholeChain_LargerThanAPackMayHold_DisablesTheButton_AndNamesTheLimit()
    {
        Services.GetRequiredService<IOptions<AuditOptions>>().Value.Evidence.MaxEntries = 5;
        await SeedAsync(8);
        var button = Render<EvidencePackButton>();

        button.WaitForAssertion(() => Assert.Contains("the whole chain picks 8 entries; a pack holds at most 5",
            button.Find("[data-testid=evidence-pack-refused]").TextContent));
        Assert.True(button.Find("[data-testid=evidence-pack-submit]").HasAttribute("disabled"));
        Assert.Equal("api/audit/evidence", button.Find("[data-testid=evidence-pack-form]").GetAttribute("action"));
    }

    [Fact]
    public async Task ChangedFilter_IsCountedAgain()
    {
        await SeedAsync(9);
        var button = Render<EvidencePackButton>(p => p.Add(b => b.Query, new TrailQuery(Actor: "user_1")));
        button.WaitForAssertion(() => Assert.Equal("3 entries", button.Find("[data-testid=evidence-pack-count]").TextContent.Trim()));

        button.Render(p => p.Add(b => b.Query, new TrailQuery(Resource: "model/m4")));

        button.WaitForAssertion(() => Assert.Equal("1 entry", button.Find("[data-testid=evidence-pack-count]").TextContent.Trim()));
        Assert.Equal("api/audit/evidence?resource=model%2Fm4&include_rolled_back=false",
            button.Find("[data-testid=evidence-pack-form]").GetAttribute("action"));
    }

    [Fact]
    public async Task UserWithoutExportAndVerifyPermissions_IsNotOfferedAPack()
    {
        await SeedAsync(3);
        SignInAs("NoRole");
        var button = Render<EvidencePackButton>();
        Assert.Empty(button.FindAll("[data-testid=evidence-pack]"));
    }

    [Fact]
    public async Task AuditTrail_OffersThePackOfTheFilteredTrail_BesideItsExports()
    {
        await SeedAsync(9);
        Services.GetRequiredService<NavigationManager>().NavigateTo("/audit?actor=user_2&include_rolled_back=true");
        var page = Render<AuditTrail>();

        page.WaitForAssertion(() => Assert.Equal("3 entries", page.Find("[data-testid=evidence-pack-count]").TextContent.Trim()));
        Assert.Equal("api/audit/evidence?actor=user_2&include_rolled_back=true", page.Find("[data-testid=evidence-pack-form]").GetAttribute("action"));
        Assert.NotEmpty(page.FindAll("[data-testid=export-json]"));
    }

    [Fact]
    public async Task ExportsPage_HasAnEvidencePackCard_ForTheWholeChain_SayingHowToCheckIt()
    {
        await SeedAsync(4);
        var page = Render<Exports>();

        var card = page.Find("[data-testid=evidence-pack-card]");
        Assert.Contains("monitorconsole audit verify-evidence pack.zip", card.TextContent);
        Assert.Contains("VERIFY.md", card.TextContent);
        page.WaitForAssertion(() => Assert.Equal("4 entries", page.Find("[data-testid=evidence-pack-count]").TextContent.Trim()));
        Assert.Equal("api/audit/evidence", page.Find("[data-testid=evidence-pack-form]").GetAttribute("action"));
    }
}
