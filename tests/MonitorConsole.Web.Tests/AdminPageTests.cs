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

    [Theory]
    [InlineData("999999999999", "Enter a whole number from 1 to 100,000.")]
    [InlineData("abc", "'abc' is not a number.")]
    [InlineData("2.5", "Enter a whole number.")]
    [InlineData("0", "Enter a whole number from 1 to 100,000.")]
    public async Task ApiKeys_ARateThatIsNotAllowed_IsRefusedAtItsField_AndNoKeyIsCreated(string typed, string message)
    {
        SignInAs(ConsoleRoles.Admin, "root");
        var page = Render<ApiKeys>();
        page.Find("[data-testid=key-name]").Change("feature-store");
        page.Find("[data-testid=key-rate]").Change(typed);
        page.Find("[data-testid=create-key]").Click();

        page.WaitForAssertion(() => Assert.Contains(message, page.Find(".mud-input-control:has([data-testid=key-rate])").TextContent));
        Assert.Empty(page.FindAll("[data-testid=new-key-token]"));
        Assert.Empty(await Services.GetRequiredService<ApiKeyService>().ListAsync(Caller.System("tests")));
    }

    [Fact]
    public async Task ApiKeys_SaveExactlyTheLimitsTyped()
    {
        SignInAs(ConsoleRoles.Admin, "root");
        var page = Render<ApiKeys>();
        page.Find("[data-testid=key-name]").Change("feature-store");
        page.Find("[data-testid=key-rate]").Change("12,000");
        page.Find("[data-testid=key-body]").Change("64");
        page.Find("[data-testid=create-key]").Click();
        page.WaitForAssertion(() => page.Find("[data-testid=new-key-token]"));

        var key = Assert.Single(await Services.GetRequiredService<ApiKeyService>().ListAsync(Caller.System("tests")));
        Assert.Equal((12_000, 64L * 1024 * 1024), (key.RequestsPerMinute, key.MaxBodyBytes));
    }

    [Fact]
    public void ApiKeys_ADuplicateName_IsToldAtTheNameField()
    {
        SignInAs(ConsoleRoles.Admin, "root");
        var page = Render<ApiKeys>();
        page.Find("[data-testid=key-name]").Change("not a valid name!");
        page.Find("[data-testid=create-key]").Click();

        page.WaitForAssertion(() => Assert.Contains("Must be 1–64 letters", page.Find(".mud-input-control:has([data-testid=key-name])").TextContent));
        Assert.DoesNotContain("name:", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Users_AddingAWeakPassword_SaysWhy_AndAddsNobody()
    {
        SignInAs(ConsoleRoles.Admin, "root");
        var page = Render<Users>();
        page.Find("[data-testid=new-user-name]").Change("bob");
        page.Find("[data-testid=new-user-password]").Change("short");
        page.Find("[data-testid=add-user]").Click();
        page.WaitForAssertion(() => Assert.Contains("12", page.Find(".mud-input-control:has([data-testid=new-user-password])").TextContent));
        Assert.Empty(page.FindAll("[data-testid=users] tbody tr"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Users_ChangingARole_AsksFirst_AndChangesOnlyWhenConfirmed(bool confirm)
    {
        SignInAs(ConsoleRoles.Admin, "root");
        var accounts = Services.GetRequiredService<UserAccounts>();
        await accounts.AddAsync(Caller.System("tests"), "bob", ConsoleRoles.Auditor, "a-long-enough-password");
        var dialogs = Render<MudBlazor.MudDialogProvider>();
        var snackbars = Render<MudBlazor.MudSnackbarProvider>();
        var page = Render<Users>();
        page.WaitForAssertion(() => page.Find("[data-testid=users]"));

        var picker = page.FindComponent<MudBlazor.MudSelect<string>>();
        _ = page.InvokeAsync(() => picker.Instance.ValueChanged.InvokeAsync(ConsoleRoles.Admin));
        dialogs.WaitForAssertion(() => Assert.Contains("Make bob an Admin instead of an Auditor?", dialogs.Markup));
        dialogs.FindAll("button").First(b => b.TextContent.Contains(confirm ? "Make Admin" : "Cancel", StringComparison.Ordinal)).Click();

        var expected = confirm ? ConsoleRoles.Admin : ConsoleRoles.Auditor;
        page.WaitForAssertion(() => Assert.Empty(dialogs.FindAll(".mud-dialog")));
        // Confirmed, the change is told once it is stored; cancelled, nothing is ever sent to be stored.
        if (confirm) snackbars.WaitForAssertion(() => Assert.Contains("bob is now an Admin", snackbars.Markup));
        var bob = (await accounts.ListAsync(Caller.System("tests"))).Single(u => u.UserName == "bob");
        Assert.Equal(expected, bob.Role);
    }
}

public sealed class RollbackPanelTests : PageContext
{
    [Theory]
    [InlineData(ConsoleRoles.Admin, true)]
    [InlineData(ConsoleRoles.DataScientist, false)]
    [InlineData(ConsoleRoles.Auditor, false)]
    public async Task EntryDetail_OffersErasureToAdministratorsOnly(string role, bool offered)
    {
        await SeedAsync(4);
        SignInAs(role);
        var page = Render<Components.Pages.Audit.EntryDetail>(p => p.Add(x => x.Key, "2"));
        page.WaitForAssertion(() => page.Find("[data-testid=neighbours]"));
        Assert.Equal(offered, page.FindAll("[data-testid=erasure-panel]").Count == 1);
    }

    [Fact]
    public async Task EntryDetail_CancellingTheErasureDialog_ErasesNothing()
    {
        await SeedAsync(4);
        SignInAs(ConsoleRoles.Admin, "root");
        var dialogs = Render<MudBlazor.MudDialogProvider>();
        var page = Render<Components.Pages.Audit.EntryDetail>(p => p.Add(x => x.Key, "2"));
        page.WaitForAssertion(() => page.Find("[data-testid=entry-data]"));

        page.Find("[data-testid=erase-data]").Click();
        dialogs.WaitForAssertion(() => dialogs.Find("[data-testid=erase-reason]").Input("changed my mind"));
        dialogs.Find("[data-testid=erase-cancel]").Click();

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll(".mud-dialog")));
        Assert.Single(page.FindAll("[data-testid=entry-data]"));
        var entry = await Services.GetRequiredService<MonitorConsole.Audit.Queries.AuditQueries>().GetBySequenceAsync(2);
        Assert.NotEqual("", entry!.Entry.Data);
    }

    [Fact]
    public async Task EntryDetail_ErasingAsksForTheReason_ThenShowsWhoErasedTheDataWhenAndWhy()
    {
        await SeedAsync(4);
        SignInAs(ConsoleRoles.Admin, "root");
        var dialogs = Render<MudBlazor.MudDialogProvider>();
        var page = Render<Components.Pages.Audit.EntryDetail>(p => p.Add(x => x.Key, "2"));
        page.WaitForAssertion(() => page.Find("[data-testid=entry-data]"));
        // Closed, the dialog is nowhere in the page: other dialogs (the rollback's) stay the only .mud-dialog.
        Assert.Empty(dialogs.FindAll(".mud-dialog"));
        Assert.Empty(page.FindAll(".mud-dialog"));

        page.Find("[data-testid=erase-data]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Erase the data of entry 2?", dialogs.Markup));
        Assert.True(dialogs.Find("[data-testid=erase-confirm]").HasAttribute("disabled"));
        dialogs.Find("[data-testid=erase-reason]").Input("GDPR request 3");
        dialogs.Find("[data-testid=erase-confirm]").Click();

        page.WaitForAssertion(() => Assert.Contains("by root: GDPR request 3", page.Find("[data-testid=entry-data-erased]").TextContent));
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll(".mud-dialog")));
        Assert.Empty(page.FindAll("[data-testid=entry-data]"));
        Assert.Empty(page.FindAll("[data-testid=erasure-panel]"));
        Assert.Single(page.FindAll("[data-testid=data-erased]"));
    }

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
