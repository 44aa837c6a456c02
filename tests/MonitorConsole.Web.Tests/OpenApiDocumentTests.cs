using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using MonitorConsole.Access;

namespace MonitorConsole.Web.Tests;

/// <summary>
/// /openapi/v1.json describes every operation well enough to generate a client from it: typed bodies both ways, the
/// problems each can answer, the permission it needs, and schemas whose property names are what the API really sends.
/// </summary>
public sealed class OpenApiDocumentTests(SharedConsole console) : IClassFixture<SharedConsole>
{
    private static readonly string[] BodyMethods = ["post", "put", "patch"];

    /// <summary>The only POSTs that read nothing but their path.</summary>
    private static readonly HashSet<string> TakesNoBody =
        ["POST /api/users/{userName}/lock", "POST /api/users/{userName}/unlock", "POST /api/audit/checkpoints", "POST /api/audit/checkpoints/anchor",
         "POST /api/audit/evidence"]; // the console posts only its antiforgery token as a form

    [Fact]
    public async Task EveryOperation_DeclaresItsBodySchemas_AndTheProblemsItCanAnswer()
    {
        var document = await DocumentAsync();
        var operations = OpenApiShape.Operations(document).ToList();
        var failures = new List<string>();
        foreach (var (name, method, operation) in operations)
        {
            var responses = operation.GetProperty("responses");
            var success = responses.EnumerateObject().Where(r => r.Name.StartsWith('2')).ToList();
            if (success.Count == 0) failures.Add($"{name}: declares no success response");
            failures.AddRange(success.Where(r => r.Name != "204" && !OpenApiShape.HasSchemas(r.Value))
                .Select(r => $"{name}: its {r.Name} response has no schema"));

            var takesBody = BodyMethods.Contains(method) && !TakesNoBody.Contains(name);
            if (takesBody && !(operation.TryGetProperty("requestBody", out var body) && OpenApiShape.HasSchemas(body)))
                failures.Add($"{name}: takes a body but declares no request body schema");
            var takesQuery = operation.TryGetProperty("parameters", out var parameters) &&
                             parameters.EnumerateArray().Any(p => p.GetProperty("in").GetString() == "query");
            var needed = new List<int> { 401 };
            if (takesBody || takesQuery) needed.Add(400);
            if (operation.TryGetProperty("x-required-permission", out _)) needed.Add(403);
            failures.AddRange(needed.Where(status => !OpenApiShape.IsProblem(responses, status))
                .Select(status => $"{name}: declares no {status} problem response"));
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        var withSchemas = operations.Count(o => o.Operation.GetProperty("responses").EnumerateObject()
            .Any(r => r.Name.StartsWith('2') && (r.Name == "204" || OpenApiShape.HasSchemas(r.Value))));
        Assert.Equal(operations.Count, withSchemas);
        Assert.True(operations.Count >= 37, $"only {operations.Count} operations are documented");
    }

    [Fact]
    public async Task EveryApiEndpoint_IsInTheDocument_WithThePermissionItRequires()
    {
        var document = await DocumentAsync();
        var documented = OpenApiShape.Operations(document).ToDictionary(o => o.Name, o => o.Operation);
        var endpoints = console.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (Endpoint: e, Method: m)))
            .ToList();
        var failures = new List<string>();
        foreach (var (endpoint, method) in endpoints)
        {
            var name = $"{method} {endpoint.RoutePattern.RawText!.TrimEnd('/')}";
            if (!documented.TryGetValue(name, out var operation))
            {
                failures.Add($"{name}: is not in the document");
                continue;
            }
            var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).ToHashSet();
            var permission = Enum.GetValues<Permission>().Where(p => policies.Contains(p.ToString()))
                .Select(p => JsonNamingPolicy.SnakeCaseUpper.ConvertName(p.ToString())).SingleOrDefault();
            var declared = operation.TryGetProperty("x-required-permission", out var value) ? value.GetString() : null;
            if (permission != declared) failures.Add($"{name}: needs {permission ?? "no permission"} but the document says {declared ?? "none"}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(endpoints.Count, documented.Count);
    }

    [Fact]
    public async Task RealResponses_HaveExactlyThePropertiesTheirSchemasDeclare()
    {
        var ct = TestContext.Current.CancellationToken;
        var document = await DocumentAsync();
        var shape = new OpenApiShape(document);
        var (admin, _) = await console.ClientAsync(ConsoleRoles.Admin);
        var (appender, _) = await console.ClientAsync(ApiKeyScopes.AuditAppend);

        var one = await appender.PostAsync("/api/audit/entries", Json("""{"action":"SCHEMA_CHECKED","actor":"ci","resource_type":"build","resource_id":"7","data":{"n":1}}"""), ct);
        await shape.CheckAsync(one, "POST /api/audit/entries", 201, oneOf: 0);
        var batch = await appender.PostAsync("/api/audit/entries", Json("""[{"action":"A","actor":"ci","resource_type":"t"},{"action":"B","actor":"ci","resource_type":"t"}]"""), ct);
        await shape.CheckAsync(batch, "POST /api/audit/entries", 201, oneOf: 1);
        var invalid = await appender.PostAsync("/api/audit/entries", Json("""{"actor":"ci","resource_type":"t"}"""), ct);
        await shape.CheckAsync(invalid, "POST /api/audit/entries", 400);

        var erasable = (await AuditApiTests.Json(one)).GetProperty("sequence").GetInt64();
        await shape.CheckAsync(await admin.PostAsync($"/api/audit/entries/{erasable}/erase", Json("""{"reason":"schema check"}"""), ct),
            "POST /api/audit/entries/{sequence}/erase", 200);
        var trail = await admin.GetAsync("/api/audit/entries?limit=3", ct);
        var entryId = (await AuditApiTests.Json(trail)).GetProperty("entries")[0].GetProperty("entry_id").GetString();
        await shape.CheckAsync(await admin.GetAsync("/api/audit/entries?limit=3", ct), "GET /api/audit/entries", 200);
        await shape.CheckAsync(await admin.GetAsync($"/api/audit/entries/{entryId}", ct), "GET /api/audit/entries/{id}", 200);
        await shape.CheckAsync(await admin.GetAsync("/api/audit/suggestions?field=actor&prefix=c", ct), "GET /api/audit/suggestions", 200);
        await shape.CheckAsync(await admin.GetAsync("/api/audit/stats", ct), "GET /api/audit/stats", 200);
        await shape.CheckAsync(await admin.PostAsync("/api/audit/verify", null, ct), "POST /api/audit/verify", 200);
        await shape.CheckAsync(await admin.PostAsync("/api/audit/checkpoints", null, ct), "POST /api/audit/checkpoints", 201);
        await shape.CheckAsync(await admin.GetAsync("/api/audit/checkpoints/latest", ct), "GET /api/audit/checkpoints/latest", 200);
        await shape.CheckAsync(await admin.GetAsync("/api/audit/proofs/inclusion?sequence=1", ct), "GET /api/audit/proofs/inclusion", 200);
        await shape.CheckAsync(await admin.GetAsync("/api/audit/proofs/consistency?from=1", ct), "GET /api/audit/proofs/consistency", 200);
        await shape.CheckAsync(await admin.GetAsync("/api/me", ct), "GET /api/me", 200);
        await shape.CheckAsync(await admin.PostAsync("/api/keys", Json("""{"name":"schema-check","scopes":["read"]}"""), ct), "POST /api/keys", 201);
        await shape.CheckAsync(await admin.GetAsync("/api/keys", ct), "GET /api/keys", 200);
        await shape.CheckAsync(await admin.GetAsync("/api/users", ct), "GET /api/users", 200);
        await shape.CheckAsync(await admin.GetAsync("/api/drift-metrics", ct), "GET /api/drift-metrics", 200);
        await shape.CheckAsync(await admin.GetAsync("/api/monitoring/stats", ct), "GET /api/monitoring/stats", 200);
        Assert.True(shape.Failures.Count == 0, string.Join("\n", shape.Failures));
    }

    private async Task<JsonElement> DocumentAsync()
    {
        var (admin, _) = await console.ClientAsync(ConsoleRoles.Admin);
        var response = await admin.GetAsync("/openapi/v1.json", TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        return await AuditApiTests.Json(response);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
