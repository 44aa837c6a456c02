using System.Net;
using MonitorConsole.Audit.Merkle;
using MonitorConsole.Access;

namespace MonitorConsole.Web.Tests;

public sealed class ProofApiTests : IAsyncDisposable
{
    private readonly ConsoleFactory _factory = new();

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task AReadKey_CannotMakeACheckpoint_NotEvenThroughAProofRequest()
    {
        var reader = await _factory.KeyClientAsync(ApiKeyScopes.Read);

        var proof = await reader.GetAsync("/api/audit/proofs/inclusion?sequence=1");
        Assert.Equal(HttpStatusCode.Conflict, proof.StatusCode);
        Assert.Equal("sequence", (await AuditApiTests.Json(proof)).GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync("/api/audit/checkpoints/latest")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsync("/api/audit/checkpoints", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync("/api/audit/checkpoints/latest")).StatusCode);

        var auditor = await _factory.SignInAsync(ConsoleRoles.Auditor);
        Assert.Equal(HttpStatusCode.Created, (await auditor.PostAsync("/api/audit/checkpoints", null)).StatusCode);
        Assert.True(ProofFiles.Verify(await reader.GetStringAsync("/api/audit/proofs/inclusion?sequence=1")).Valid);
    }

    [Fact]
    public async Task Checkpoints_AndProofs_FromTheApi_VerifyOffline()
    {
        var auditor = await _factory.SignInAsync(ConsoleRoles.Auditor);
        Assert.Equal(HttpStatusCode.NotFound, (await auditor.GetAsync("/api/audit/checkpoints/latest")).StatusCode);
        var created = await auditor.PostAsync("/api/audit/checkpoints", null);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var size = (await AuditApiTests.Json(created)).GetProperty("tree_size").GetInt64();

        var latest = await AuditApiTests.Json(await auditor.GetAsync("/api/audit/checkpoints/latest"));
        Assert.True(latest.GetProperty("check").GetProperty("matches").GetBoolean());

        var inclusion = await (await auditor.GetAsync("/api/audit/proofs/inclusion?sequence=1")).Content.ReadAsStringAsync();
        var check = ProofFiles.Verify(inclusion);
        Assert.True(check.Valid, string.Join("\n", check.Lines));

        var consistency = await AuditApiTests.Json(await auditor.GetAsync($"/api/audit/proofs/consistency?from=1&to={size}"));
        Assert.Equal(size, consistency.GetProperty("new_size").GetInt64());
        Assert.Equal(HttpStatusCode.BadRequest, (await auditor.GetAsync("/api/audit/proofs/inclusion?sequence=999999")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await auditor.GetAsync("/api/audit/proofs/consistency?from=0")).StatusCode);
    }
}
