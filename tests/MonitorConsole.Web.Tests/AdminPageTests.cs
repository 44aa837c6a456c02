using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MonitorConsole.Audit.Queries;
using MonitorConsole.Access;
using MonitorConsole.Web.Components.Pages.Admin;

namespace MonitorConsole.Web.Tests;

public sealed class AdminPageTests : PageContext
{
    [Fact]
    public async Task ApiKeys_NewKeyShowsItsTokenOnce_AndTheCreationIsAuditedAsTheAdmin()
    {
        SignInAs(ConsoleRoles.Admin, "root");
        var page = Render<ApiKeys>();
        page.Find("[data-testid=key-name]").Change("feature-store");
        page.Find("[data-testid=create-key]").Click();
        page.WaitForAssertion(() => Assert.StartsWith("mc_", page.Find("[data-testid=new-key-token]").TextContent.Trim()));
        Assert.Contains("feature-store", page.Find("[data-testid=keys]").TextContent);

        var again = Render<ApiKeys>();
        again.WaitForAssertion(() => Assert.Contains("feature-store", again.Find("[data-testid=keys]").TextContent));
        Assert.Empty(again.FindAll("[data-testid=new-key-token]"));
        var entry = (await Services.GetRequiredService<AuditQueries>().GetTrailAsync(TrailFilter.All)).Entries[0].Entry;
        Assert.Equal((ActionLog.ApiKeyCreated, "root"), (entry.Action, entry.Actor));
    }

    [Fact]
    public void Users_AddingAWeakPassword_SaysWhy_AndAddsNobody()
    {
        SignInAs(ConsoleRoles.Admin, "root");
        var page = Render<Users>();
        page.Find("[data-testid=new-user-name]").Change("bob");
        page.Find("[data-testid=new-user-password]").Change("short");
        page.Find("[data-testid=add-user]").Click();
        page.WaitForAssertion(() => Assert.Contains("12", page.Find("[data-testid=users-error]").TextContent));
        Assert.Empty(page.FindAll("[data-testid=users] tbody tr"));
    }
}

public sealed class RollbackPanelTests : PageContext
{
    [Theory]
    [InlineData(ConsoleRoles.Admin, true)]
    [InlineData(ConsoleRoles.DataScientist, false)]
    [InlineData(ConsoleRoles.Auditor, false)]
    public async Task EntryDetail_OffersRollbackToAdministratorsOnly(string role, bool offered)
    {
        await SeedAsync(4);
        SignInAs(role);
        var page = Render<Components.Pages.Audit.EntryDetail>(p => p.Add(x => x.Key, "2"));
        page.WaitForAssertion(() => page.Find("[data-testid=neighbours]"));
        Assert.Equal(offered, page.FindAll("[data-testid=rollback-panel]").Count == 1);
    }
}
