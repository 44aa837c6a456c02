using System.Net;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MonitorConsole.Access;
using MonitorConsole.Audit;
using MonitorConsole.Tests.Shared;
using MonitorConsole.Web.Components.Pages.Verification;

namespace MonitorConsole.Web.Tests;

/// <summary>RFC 3161 anchors through the API: a checkpoint kept when the TSA is down, anchored later by POST.</summary>
public sealed class AnchorApiTests : IAsyncLifetime
{
    private readonly string _certificates = Path.Combine(Path.GetTempPath(), "mc-tsa-web", Guid.NewGuid().ToString("N"));
    private LocalTsa _tsa = null!;
    private ConsoleFactory _factory = null!;

    public ValueTask InitializeAsync()
    {
        _tsa = LocalTsa.Start();
        _factory = new ConsoleFactory(bootstrapAdmin: true, new Dictionary<string, string>
        {
            ["Audit:Timestamping:Url"] = _tsa.Url,
            ["Audit:Timestamping:TrustedCertificates:0"] = _tsa.WriteCaPem(_certificates),
        });
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _tsa.DisposeAsync();
        Directory.Delete(_certificates, recursive: true);
    }

    [Fact]
    public async Task ACheckpointMadeWhileTheTsaIsDown_IsAnchoredByPost_AndTheLatestCheckSaysSo()
    {
        var auditor = await _factory.SignInAsync(ConsoleRoles.Auditor);
        _tsa.Failing = true;
        var created = await AuditApiTests.Json(await auditor.PostAsync("/api/audit/checkpoints", null));
        Assert.False(created.TryGetProperty("timestamp_token", out _));
        var before = (await AuditApiTests.Json(await auditor.GetAsync("/api/audit/checkpoints/latest"))).GetProperty("check").GetProperty("anchor");
        Assert.Equal("not_anchored", before.GetProperty("outcome").GetString());
        Assert.Contains("HTTP 503", before.GetProperty("detail").GetString());

        var reader = await _factory.KeyClientAsync(ApiKeyScopes.Read);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsync("/api/audit/checkpoints/anchor", null)).StatusCode);

        _tsa.Failing = false;
        var attempts = await AuditApiTests.Json(await auditor.PostAsync("/api/audit/checkpoints/anchor", null));
        Assert.True(attempts[0].GetProperty("anchored").GetBoolean());
        var latest = await AuditApiTests.Json(await auditor.GetAsync("/api/audit/checkpoints/latest"));
        Assert.Equal("anchored", latest.GetProperty("check").GetProperty("anchor").GetProperty("outcome").GetString());
        Assert.False(string.IsNullOrEmpty(latest.GetProperty("checkpoint").GetProperty("timestamp_token").GetString()));

        var again = await auditor.PostAsync("/api/audit/checkpoints/anchor?id=1", null);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Equal("id", (await AuditApiTests.Json(again)).GetProperty("field").GetString());
    }
}

public sealed class CheckpointAnchorCardTests : PageContext
{
    [Fact]
    public async Task TheCheckpointCard_SaysNotAnchoredWithTheReason_ThenAnchoredAtByTheTsa()
    {
        await using var tsa = LocalTsa.Start();
        var pem = tsa.WriteCaPem(Path.GetDirectoryName(DatabasePath)!);
        // The context's services are built already; the ledger reads its options on each use.
        var timestamping = Services.GetRequiredService<IOptions<AuditOptions>>().Value.Timestamping;
        timestamping.Url = tsa.Url;
        timestamping.TrustedCertificates = [pem];
        await SeedAsync(4);
        tsa.Failing = true;
        var page = Render<Verify>();
        page.WaitForAssertion(() => page.Find("[data-testid=checkpoint-none]"), TimeSpan.FromSeconds(10));
        page.Find("[data-testid=sign-checkpoint]").Click();
        page.WaitForAssertion(() => Assert.Contains("not anchored", page.Find("[data-testid=checkpoint-anchor]").TextContent), TimeSpan.FromSeconds(10));
        Assert.Contains("HTTP 503", page.Find("[data-testid=checkpoint-anchor]").TextContent);

        tsa.Failing = false;
        page.Find("[data-testid=anchor-checkpoint]").Click();
        page.WaitForAssertion(() => Assert.Contains("anchored at", page.Find("[data-testid=checkpoint-anchor]").TextContent), TimeSpan.FromSeconds(10));
        Assert.Contains("by CN=MonitorConsole Test TSA", page.Find("[data-testid=checkpoint-anchor]").TextContent);
        Assert.Equal("anchored", page.Find("[data-testid=checkpoint-anchor]").GetAttribute("data-outcome"));
        Assert.Empty(page.FindAll("[data-testid=anchor-checkpoint]"));
    }
}
