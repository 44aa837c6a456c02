using System.Net;
using System.Text;
using System.Text.Json;
using MonitorConsole.Access;
using MonitorConsole.Drift.Metrics;

namespace MonitorConsole.Web.Tests;

public sealed class DriftResultsApiTests : IAsyncLifetime
{
    private readonly ConsoleFactory _factory = new();
    private HttpClient _client = default!;

    public async ValueTask InitializeAsync() => _client = await _factory.SignInAsync(ConsoleRoles.DataScientist, "dora");

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    private static readonly string Baseline = "age,segment\n" + string.Join('\n', Enumerable.Range(0, 200).Select(i => $"{20 + i % 40},{(i % 3 == 0 ? "a" : "b")}"));

    private async Task<string> RunAsync(int shift)
    {
        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Put, "/api/models/m1",
            """{"model_version":"1","features":["age","segment"],"categorical":["segment"]}""", "application/json")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Put, "/api/models/m1/baseline", Baseline, "text/csv")).StatusCode);
        var rows = Enumerable.Range(0, 100).Select(i => new { age = 20 + i % 40 + shift, segment = i % 5 == 0 ? "new" : "b" });
        var run = await Send(HttpMethod.Post, "/api/models/m1/runs", JsonSerializer.Serialize(new { rows }), "application/json");
        Assert.Equal(HttpStatusCode.OK, run.StatusCode);
        return (await AuditApiTests.Json(run)).GetProperty("check_id").GetString()!;
    }

    [Fact]
    public async Task RunReport_ListsEveryRegistryMetric_ThatAppliesToEachFeature_WithDistributions()
    {
        var checkId = await RunAsync(shift: 10);
        var report = await AuditApiTests.Json(await _client.GetAsync($"/api/models/m1/runs/{checkId}"));
        var features = report.GetProperty("features").EnumerateArray().ToDictionary(f => f.GetProperty("feature").GetString()!);
        foreach (var metric in MetricRegistry.All)
        {
            var feature = metric.AppliesTo switch { MetricScope.Dataset => "", MetricScope.Categorical => "segment", _ => "age" };
            Assert.True(features[feature].GetProperty("metrics").TryGetProperty(metric.Name, out _), metric.Name);
        }
        Assert.Equal(0.2, features["segment"].GetProperty("metrics").GetProperty("unseen_category_share").GetDouble(), 12);
        var distribution = features["age"].GetProperty("distribution");
        Assert.Equal(distribution.GetProperty("bins").GetArrayLength(), distribution.GetProperty("current").GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/api/models/m1/runs/nope")).StatusCode);
    }

    [Fact]
    public async Task MetricHistory_HonoursMaxPoints_AndRefusesABadOne_NamingIt()
    {
        for (var i = 0; i < 3; i++) await RunAsync(shift: i * 10);
        var history = await AuditApiTests.Json(await _client.GetAsync("/api/models/m1/history/psi?max_points=2"));
        Assert.Equal(2, history.GetProperty("max_points").GetInt32());
        var series = history.GetProperty("series").EnumerateArray().ToList();
        Assert.Equal(["age", "segment"], series.Select(s => s.GetProperty("feature").GetString()));
        Assert.All(series, s =>
        {
            Assert.Equal(3, s.GetProperty("source_points").GetInt32());
            Assert.InRange(s.GetProperty("points").GetArrayLength(), 1, 2);
            Assert.True(s.GetProperty("downsampled").GetBoolean());
        });
        Assert.NotEmpty(history.GetProperty("markers").EnumerateArray());

        var bad = await _client.GetAsync("/api/models/m1/history/psi?max_points=1");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("max_points", await bad.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync("/api/models/m1/history/no_such_metric")).StatusCode);
    }

    [Fact]
    public async Task MetricList_IsTheRegistry()
    {
        var list = await AuditApiTests.Json(await _client.GetAsync("/api/drift-metrics"));
        Assert.Equal(MetricRegistry.All.Select(m => m.Name), list.EnumerateArray().Select(m => m.GetProperty("name").GetString()));
    }

    private Task<HttpResponseMessage> Send(HttpMethod method, string path, string body, string type) =>
        _client.SendAsync(new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, type) });
}
