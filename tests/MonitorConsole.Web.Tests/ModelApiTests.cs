using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MonitorConsole.Access;

namespace MonitorConsole.Web.Tests;

public sealed class ModelApiTests : IAsyncLifetime
{
    private readonly ConsoleFactory _factory = new();
    private HttpClient _client = default!;

    public async ValueTask InitializeAsync() => _client = await _factory.SignInAsync(ConsoleRoles.DataScientist, "dora");

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    private static readonly string Baseline = "age,income\n" + string.Join('\n', Enumerable.Range(0, 200).Select(i => $"{20 + i % 40},{30000 + i * 97 % 50000}"));

    [Fact]
    public async Task APipelineKey_RegistersAModelVersion_AndAnotherTriggersARun_WithoutAPersonsSession()
    {
        var pipeline = await _factory.KeyClientAsync(ApiKeyScopes.ModelsWrite);
        var trigger = await _factory.KeyClientAsync(ApiKeyScopes.RunsTrigger);

        var put = await pipeline.PutAsync("/api/models/churn",
            new StringContent("""{"model_version":"3.0.0","features":["age","income"]}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var baseline = await pipeline.PutAsync("/api/models/churn/baseline", new StringContent(Baseline, Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.OK, baseline.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await pipeline.PostAsync("/api/models/churn/runs", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await pipeline.GetAsync("/api/audit/entries")).StatusCode);

        var run = await trigger.PostAsync("/api/models/churn/runs", new StringContent(
            JsonSerializer.Serialize(new { rows = Enumerable.Range(0, 50).Select(i => new { age = 20 + i % 40, income = 30000 + i * 97 % 50000 }) }),
            Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, run.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await trigger.PutAsync("/api/models/churn",
            new StringContent("""{"model_version":"4.0.0"}""", Encoding.UTF8, "application/json"))).StatusCode);

        var trail = await AuditApiTests.Json(await _client.GetAsync("/api/audit/entries?resource_type=model&resource_id=churn"));
        var actions = trail.GetProperty("entries").EnumerateArray().Select(e => $"{e.GetProperty("action").GetString()}:{e.GetProperty("actor").GetString()}").ToList();
        Assert.Contains(actions, a => a.StartsWith("MODEL_CREATED:key:", StringComparison.Ordinal));
        Assert.Contains(actions, a => a.StartsWith("BASELINE_REPLACED:key:", StringComparison.Ordinal));
        Assert.Contains(actions, a => a.StartsWith("DRIFT_CHECK_RUN:key:", StringComparison.Ordinal));
        Assert.Equal("3.0.0", (await AuditApiTests.Json(await _client.GetAsync("/api/models/churn"))).GetProperty("model_version").GetString());
    }

    [Fact]
    public async Task ConfigureUploadObserveRun_FlowsThroughTheApi_AndIsAudited()
    {
        var put = await Send(HttpMethod.Put, "/api/models/credit_risk",
            """{"model_version":"2.1.0","schedule":"CUSTOM","schedule_cron":"0 9 * * MON-FRI","time_zone":"Europe/Berlin","features":["age","income"]}""", "application/json");
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("0 9 * * MON-FRI", (await AuditApiTests.Json(put)).GetProperty("schedule_cron").GetString());
        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Put, "/api/models/credit_risk/baseline", Baseline, "text/csv")).StatusCode);

        var csvRows = "age,income\n" + string.Join('\n', Enumerable.Range(0, 200).Select(i => $"{40 + i % 40},{30000 + i * 97 % 50000}"));
        var observed = await Send(HttpMethod.Post, "/api/models/credit_risk/observations", csvRows, "text/csv");
        Assert.Equal(HttpStatusCode.Accepted, observed.StatusCode);
        Assert.Equal(200, (await AuditApiTests.Json(observed)).GetProperty("rows").GetInt32());

        var run = await AuditApiTests.Json(await _client.PostAsync("/api/models/credit_risk/runs", null));
        Assert.Equal("COMPLETED", run.GetProperty("status").GetString());
        Assert.Equal("CRITICAL", run.GetProperty("alert_level").GetString());

        var history = await AuditApiTests.Json(await _client.GetAsync("/api/models/credit_risk/runs?status=completed"));
        Assert.Equal(1, history.GetArrayLength());
        var models = await AuditApiTests.Json(await _client.GetAsync("/api/models"));
        Assert.Equal("Europe/Berlin", models[0].GetProperty("time_zone").GetString());

        var trail = await AuditApiTests.Json(await _client.GetAsync("/api/audit/entries?resource_type=model&resource_id=credit_risk"));
        Assert.Equal(["DRIFT_CHECK_RUN:dora", "DRIFT_ALERT:drift_scheduler", "BASELINE_REPLACED:dora", "MODEL_CREATED:dora"],
            trail.GetProperty("entries").EnumerateArray().Select(e => $"{e.GetProperty("action").GetString()}:{e.GetProperty("actor").GetString()}"));
    }

    [Fact]
    public async Task Configure_StillReadsTheOldCronFieldName_AndAnswersWithScheduleCron()
    {
        var put = await Send(HttpMethod.Put, "/api/models/legacy", """{"model_version":"1","schedule":"CUSTOM","cron":"0 6 * * *"}""", "application/json");

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var model = await AuditApiTests.Json(await _client.GetAsync("/api/models/legacy"));
        Assert.Equal("0 6 * * *", model.GetProperty("schedule_cron").GetString());
        Assert.False(model.TryGetProperty("cron", out _));
    }

    [Fact]
    public async Task RunNow_WithDataInTheBody_UsesThatData()
    {
        await Send(HttpMethod.Put, "/api/models/m", """{"model_version":"1","features":["age"]}""", "application/json");
        await Send(HttpMethod.Put, "/api/models/m/baseline", Baseline, "text/csv");
        var body = JsonSerializer.Serialize(new { rows = Enumerable.Range(0, 200).Select(i => new { age = 20 + i % 40 }) });
        var run = await AuditApiTests.Json(await Send(HttpMethod.Post, "/api/models/m/runs", body, "application/json"));
        Assert.Equal("NORMAL", run.GetProperty("alert_level").GetString());
    }

    [Theory]
    [InlineData("""{"model_version":"1","schedule":"CUSTOM","schedule_cron":"every day"}""", "schedule_cron")]
    [InlineData("""{"model_version":"1","schedule":"CUSTOM","schedule_cron":"0 0 31 2 *"}""", "schedule_cron")]
    [InlineData("""{"model_version":"1","schedule":"CUSTOM","schedule_cron":"0 9 * * *","cron":"0 10 * * *"}""", "schedule_cron")]
    [InlineData("""{"model_version":"1","schedule":"CUSTOM","cron":"every day"}""", "schedule_cron")]
    [InlineData("""{"model_version":"1","time_zone":"Mars/Base"}""", "time_zone")]
    [InlineData("""{"model_version":""}""", "model_version")]
    [InlineData("""{"model_version":"1","schedule":"SOMETIMES"}""", "body")]
    [InlineData("""{"model_version":"1","webhooks":["ftp://x"]}""", "webhooks")]
    [InlineData("""{"model_id":"other","model_version":"1"}""", "model_id")]
    public async Task BadConfiguration_Gets400NamingTheField(string body, string field)
    {
        var response = await Send(HttpMethod.Put, "/api/models/m", body, "application/json");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, (await AuditApiTests.Json(response)).GetProperty("field").GetString());
    }

    [Fact]
    public async Task UnknownModel_Gets404_AndBadObservations400()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/api/models/nope")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.PostAsync("/api/models/nope/runs", null)).StatusCode);
        await Send(HttpMethod.Put, "/api/models/m", """{"model_version":"1"}""", "application/json");
        var bad = await Send(HttpMethod.Post, "/api/models/m/observations", """{"rows":[{"age":[1]}]}""", "application/json");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("rows[0].age", (await AuditApiTests.Json(bad)).GetProperty("field").GetString());
        var badStatus = await _client.GetAsync("/api/models/m/runs?status=great");
        Assert.Equal(HttpStatusCode.BadRequest, badStatus.StatusCode);
    }

    private Task<HttpResponseMessage> Send(HttpMethod method, string url, string body, string contentType) =>
        _client.SendAsync(new HttpRequestMessage(method, url) { Content = new StringContent(body, Encoding.UTF8, contentType) });
}

public sealed class RunExportApiTests : IAsyncLifetime
{
    private readonly ConsoleFactory _factory = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task RunHistory_ExportsAsCsvAndJson_WithDatedNames()
    {
        var client = await _factory.SignInAsync(ConsoleRoles.DataScientist);
        var request = new HttpRequestMessage(HttpMethod.Put, "/api/models/m") { Content = new StringContent("""{"model_version":"1"}""", Encoding.UTF8, "application/json") };
        (await client.SendAsync(request)).EnsureSuccessStatusCode();
        await client.PostAsync("/api/models/m/runs", null); // fails: no baseline; still a run to export

        var csv = await client.GetAsync("/api/runs/export?format=csv&model_id=m");
        Assert.Matches(@"drift-runs-m-\d{4}-\d{2}-\d{2}\.csv", csv.Content.Headers.ContentDisposition!.ToString());
        var lines = (await csv.Content.ReadAsStringAsync()).Trim().Split("\r\n");
        Assert.Equal(2, lines.Length);
        Assert.Contains("FAILED", lines[1]);
        var json = await AuditApiTests.Json(await client.GetAsync("/api/runs/export?format=json"));
        Assert.Equal("FAILED", json.GetProperty("runs")[0].GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/runs/export?format=pdf")).StatusCode);
    }
}
