using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using MonitorConsole.Audit;
using MonitorConsole.Monitoring;
using MonitorConsole.Access;

namespace MonitorConsole.Web.Tests;

/// <summary>The one-time setup link of a console that started without accounts.</summary>
public sealed partial class SetupTests : IAsyncDisposable
{
    private readonly ConsoleFactory _factory = new(bootstrapAdmin: false);

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task SetupPage_Refuses_WhenAnAccountWasCreatedByTheCli()
    {
        var link = await _factory.SetupLinkAsync();
        var client = _factory.Anonymous();
        var form = await client.GetStringAsync(link);
        Assert.Contains("data-testid=\"setup-submit\"", form);

        // `monitorconsole users add`: another process with its own services on the same database.
        await AddAccountAsCliAsync("operator");

        var after = await client.GetStringAsync(link);
        Assert.Contains("data-testid=\"setup-closed\"", after);
        Assert.DoesNotContain("data-testid=\"setup-submit\"", after);
        Assert.DoesNotContain("data-testid=\"setup-pending\"", await client.GetStringAsync("/signin"));
    }

    [Fact]
    public async Task SetupForm_PostedAfterAnAccountAppeared_CreatesNothing()
    {
        var link = await _factory.SetupLinkAsync();
        var client = _factory.Anonymous();
        var token = AntiforgeryToken(await client.GetStringAsync(link));
        await AddAccountAsCliAsync("operator");

        var response = await PostSetupAsync(client, link, token, "intruder");

        // The page no longer has the form, so the post is refused; above all, nobody was created or signed in.
        Assert.NotEqual(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(["operator"], (await UsersAsync()).Select(u => u.UserName));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task SetupForm_CreatesTheAdministrator_SignsIn_AndThenTheLinkIsDead()
    {
        var link = await _factory.SetupLinkAsync();
        var client = _factory.Anonymous();
        var response = await PostSetupAsync(client, link, AntiforgeryToken(await client.GetStringAsync(link)), "first-admin");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.Equal("/", location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString);
        var user = Assert.Single(await UsersAsync());
        Assert.Equal(("first-admin", ConsoleRoles.Admin), (user.UserName, user.Role));

        var other = _factory.Anonymous();
        var page = await other.GetStringAsync(link);
        Assert.Contains("data-testid=\"setup-closed\"", page);
        Assert.Single(await UsersAsync());
    }

    [Theory]
    [InlineData("system:setup", "system:")]
    [InlineData("KEY:pipeline", "key:")]
    [InlineData("Cli:root", "cli:")]
    [InlineData("Anonymous", "anonymous")]
    public async Task SetupForm_RefusesANameReservedForKeysOrSystemActors_AndTheLinkStaysOpen(string name, string reserved)
    {
        var link = await _factory.SetupLinkAsync();
        var client = _factory.Anonymous();
        var response = await PostSetupAsync(client, link, AntiforgeryToken(await client.GetStringAsync(link)), name);

        var page = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("data-testid=\"setup-error\"", page);
        Assert.Contains($"User name: may", page);
        Assert.Contains($"'{reserved}", page);
        Assert.Empty(await UsersAsync());
        Assert.Contains("data-testid=\"setup-submit\"", await client.GetStringAsync(link));
    }

    private async Task AddAccountAsCliAsync(string userName)
    {
        await using var cli = new ServiceCollection()
            .AddSingleton(TimeProvider.System)
            .AddAudit(o => o.Database = _factory.DatabaseUrl)
            .AddMonitoring(withScheduler: false)
            .BuildServiceProvider();
        await using var scope = cli.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<UserAccounts>()
            .AddAsync(Caller.System("cli:tester"), userName, ConsoleRoles.Admin, ConsoleFactory.Password);
    }

    private async Task<IReadOnlyList<UserView>> UsersAsync()
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserAccounts>().ListAsync(Caller.System("tests"));
    }

    private static Task<HttpResponseMessage> PostSetupAsync(HttpClient client, string link, string antiforgery, string userName) =>
        client.PostAsync(link, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "setup",
            ["__RequestVerificationToken"] = antiforgery,
            ["Input.Token"] = link[(link.IndexOf('=', StringComparison.Ordinal) + 1)..],
            ["Input.UserName"] = userName,
            ["Input.Password"] = ConsoleFactory.Password,
            ["Input.ConfirmPassword"] = ConsoleFactory.Password,
        }));

    private static string AntiforgeryToken(string page) => AntiforgeryField().Match(page).Groups[1].Value;

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
