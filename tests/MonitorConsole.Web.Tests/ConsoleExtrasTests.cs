using System.Net;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using MonitorConsole.Access;

namespace MonitorConsole.Web.Tests;

/// <summary>The pages around the console's core: the API reference, the health page, the favicon.</summary>
public sealed class ConsoleExtrasTests
{
    [Fact]
    public async Task ApiReference_IsServedToSignedInPeople_WithItsOwnScriptPolicyOnly()
    {
        await using var factory = new ConsoleFactory(bootstrapAdmin: true);
        var anonymous = factory.CreateClient(new() { AllowAutoRedirect = false });
        var auditor = await factory.SignInAsync(ConsoleRoles.Auditor);

        var page = await auditor.GetAsync("/api-docs/");
        var console = await auditor.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<title>MonitorConsole HTTP API</title>", await page.Content.ReadAsStringAsync());
        Assert.Contains("'unsafe-inline'", page.Headers.GetValues("Content-Security-Policy").Single().Split("script-src")[1].Split(';')[0]);
        Assert.DoesNotContain("'unsafe-inline'", console.Headers.GetValues("Content-Security-Policy").Single().Split("script-src")[1].Split(';')[0]);
        Assert.NotEqual(HttpStatusCode.OK, (await anonymous.GetAsync("/api-docs")).StatusCode);
    }

    [Fact]
    public async Task Favicon_IsServed()
    {
        await using var factory = new ConsoleFactory(bootstrapAdmin: true);
        var response = await factory.CreateClient().GetAsync("/favicon.svg");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
    }
}

public sealed class StatusPageTests : BunitContext
{
    [Fact]
    public void HealthPage_ShowsEachCheckInWords_AndTheOverallState()
    {
        Services.AddMudServices();
        Services.AddLogging();
        Services.AddSingleton(TimeProvider.System);
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddHealthChecks().AddCheck("database_schema", () => Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Degraded("2 migrations are not applied"));
        var page = Render<Components.Pages.Health.Status>();

        page.WaitForAssertion(() => Assert.Contains("Database schema up to date", page.Markup), TimeSpan.FromSeconds(10));
        Assert.Contains("2 migrations are not applied", page.Find("[data-testid=health-checks]").TextContent);
        Assert.Contains("not as it should be", page.Find("[data-testid=health-overall]").TextContent);
    }
}

/// <summary>Times are shown to the second, in the reader's zone with the zone named, UTC on hover.</summary>
public sealed class LocalTimeTests : BunitContext
{
    private static readonly DateTime Noon = new(2026, 7, 1, 12, 0, 0, 123, DateTimeKind.Utc);

    [Fact]
    public void InTheReadersZone_ToTheSecond_WithTheZoneNamed_AndUtcOnHover()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

        var time = Render<Components.Shared.LocalTime>(p => p.Add(x => x.Utc, Noon).Add(x => x.ReaderTimeZone, berlin)).Find("time");

        Assert.Equal("2026-07-01 14:00:00 Europe/Berlin", time.TextContent);
        Assert.Equal("2026-07-01 12:00:00 UTC", time.GetAttribute("title"));
        Assert.Equal("2026-07-01T12:00:00Z", time.GetAttribute("datetime"));
    }

    [Fact]
    public void BeforeTheZoneIsKnown_ItIsUtc()
    {
        var time = Render<Components.Shared.LocalTime>(p => p.Add(x => x.Utc, Noon)).Find("time");
        Assert.Equal("2026-07-01 12:00:00 UTC", time.TextContent);
    }
}
