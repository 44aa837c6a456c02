using System.Net;
using System.Text;
using MonitorConsole.Access;

namespace MonitorConsole.Web.Tests;

/// <summary>Every endpoint, page and download against every kind of caller: refused unless the role or scope allows it.</summary>
public sealed class AccessMatrixTests(SharedConsole console) : IClassFixture<SharedConsole>
{
    private static readonly (string Method, string Path, string? Body, Permission? Needs)[] Endpoints =
    [
        ("GET", "/api/audit/entries", null, Permission.ReadLedger),
        ("GET", "/api/audit/stats", null, Permission.ReadLedger),
        ("POST", "/api/audit/entries", """{"action":"A","actor":"x","resource_type":"t"}""", Permission.AppendAudit),
        ("POST", "/api/audit/verify", null, Permission.VerifyLedger),
        ("GET", "/api/audit/export?format=csv", null, Permission.ExportLedger),
        ("POST", "/api/audit/rollback", """{"to_hash":"00","reason":"x"}""", Permission.RollbackLedger),
        ("POST", "/api/audit/entries/999999/erase", """{"reason":"x"}""", Permission.EraseData),
        ("GET", "/api/models", null, Permission.ReadMonitoring),
        ("GET", "/api/schedule", null, Permission.ReadMonitoring),
        ("PUT", "/api/models/matrix", """{"model_version":"1"}""", Permission.ConfigureModels),
        ("PUT", "/api/models/matrix/baseline", "age\n1\n", Permission.ConfigureModels),
        ("POST", "/api/models/matrix/observations", """{"rows":[{"age":1}]}""", Permission.WriteObservations),
        ("POST", "/api/models/matrix/runs", null, Permission.RunChecks),
        ("GET", "/api/runs/export", null, Permission.ExportLedger),
        ("GET", "/api/keys", null, Permission.ManageApiKeys),
        ("POST", "/api/keys", """{"name":"","scopes":[]}""", Permission.ManageApiKeys),
        ("GET", "/api/users", null, Permission.ManageUsers),
        ("DELETE", "/api/users/nobody", null, Permission.ManageUsers),
        ("POST", "/api/audit/checkpoints", null, Permission.VerifyLedger),
        ("POST", "/api/audit/checkpoints/anchor", null, Permission.VerifyLedger),
        ("GET", "/api/audit/checkpoints/latest", null, Permission.ReadLedger),
        ("GET", "/api/audit/proofs/inclusion?sequence=1", null, Permission.ReadLedger),
        ("GET", "/api/audit/proofs/consistency?from=1", null, Permission.ReadLedger),
        ("GET", "/openapi/v1.json", null, null),
        ("GET", "/api/me", null, null),
    ];

    public static TheoryData<string> Callers() => ["anonymous", ConsoleRoles.Auditor, ConsoleRoles.DataScientist, ConsoleRoles.Admin,
        ApiKeyScopes.Read, ApiKeyScopes.AuditAppend, ApiKeyScopes.ObservationsWrite, ApiKeyScopes.ModelsWrite, ApiKeyScopes.RunsTrigger];

    [Theory]
    [MemberData(nameof(Callers))]
    public async Task EveryEndpoint_RefusesCallersWithoutThePermission_AndNeverFails(string who)
    {
        var (client, caller) = await console.ClientAsync(who);
        foreach (var (method, path, body, needs) in Endpoints)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, body.StartsWith('{') ? "application/json" : "text/csv");
            var status = (int)(await client.SendAsync(request)).StatusCode;
            var expected = caller is null ? 401 : needs is { } p && !caller.Can(p) ? 403 : 0;
            if (expected != 0) Assert.True(expected == status, $"{who} {method} {path}: expected {expected}, got {status}");
            else Assert.True(status is >= 200 and < 500 and not 401 and not 403, $"{who} {method} {path}: got {status}");
        }
    }

    [Fact]
    public void EveryKeyScope_IsInTheMatrix()
    {
        var covered = Callers().Select(row => (string)row.Data).ToHashSet();
        Assert.All(ApiKeyScopes.All, scope => Assert.Contains(scope, covered));
    }

    [Theory]
    [InlineData("/", ConsoleRoles.Auditor)]
    [InlineData("/audit", ConsoleRoles.Auditor)]
    [InlineData("/audit/entries/1", ConsoleRoles.Auditor)]
    [InlineData("/verify", ConsoleRoles.Auditor)]
    [InlineData("/drift", ConsoleRoles.Auditor)]
    [InlineData("/models", ConsoleRoles.Auditor)]
    [InlineData("/exports", ConsoleRoles.Auditor)]
    [InlineData("/models/new", ConsoleRoles.DataScientist)]
    [InlineData("/admin/users", ConsoleRoles.Admin)]
    [InlineData("/admin/keys", ConsoleRoles.Admin)]
    public async Task EveryPage_SendsAnonymousToSignIn_AndTheUnderPrivilegedToDenied(string path, string leastRole)
    {
        var anonymous = await console.Factory.Anonymous().GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.StartsWith("/signin", anonymous.Headers.Location!.PathAndQuery);

        foreach (var role in ConsoleRoles.All)
        {
            var (client, _) = await console.ClientAsync(role);
            var response = await client.GetAsync(path);
            var allowed = ConsoleRoles.All.ToList().IndexOf(role) >= ConsoleRoles.All.ToList().IndexOf(leastRole);
            if (allowed) Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            else Assert.StartsWith("/denied", response.Headers.Location?.PathAndQuery ?? $"status {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task OnlySignInSetupHealthAndStaticFiles_AnswerAnonymously_AndMetricsOnlyToTheirNetworks()
    {
        var anonymous = console.Factory.Anonymous();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/signin")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/ready")).StatusCode);
        // Metrics answer by network, not by who is asking: the test server's requests come from no network at all.
        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/app.css")).StatusCode);
        Assert.Contains("already has accounts", await anonymous.GetStringAsync("/setup?token=guess"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/audit/export")).StatusCode);
    }
}

/// <summary>One console for a test class, with a signed-in client per role and a client per API-key scope.</summary>
public sealed class SharedConsole : IAsyncDisposable
{
    private readonly Dictionary<string, (HttpClient, Caller?)> _clients = [];
    private readonly SemaphoreSlim _gate = new(1, 1);

    public ConsoleFactory Factory { get; } = new();

    public async Task<(HttpClient Client, Caller? Caller)> ClientAsync(string who)
    {
        await _gate.WaitAsync();
        try
        {
            if (_clients.TryGetValue(who, out var known)) return known;
            (HttpClient, Caller?) made = who == "anonymous" ? (Factory.Anonymous(), null)
                : ConsoleRoles.All.Contains(who) ? (await Factory.SignInAsync(who), Caller.User(who, [who]))
                : (await Factory.KeyClientAsync(who), Caller.ApiKey("k", [who]));
            return _clients[who] = made;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync() => await Factory.DisposeAsync();
}
