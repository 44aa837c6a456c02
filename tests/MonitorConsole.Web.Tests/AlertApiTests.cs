using System.Net;
using System.Text;
using System.Text.Json;
using MonitorConsole.Access;

namespace MonitorConsole.Web.Tests;

/// <summary>A run's alert over the API: its deliveries with every attempt, and acknowledgement recorded in the ledger.</summary>
public sealed class AlertApiTests : IAsyncLifetime
{
    private readonly ConsoleFactory _factory = new();
    private HttpClient _client = default!;

    public async ValueTask InitializeAsync() => _client = await _factory.SignInAsync(ConsoleRoles.DataScientist, "dora");

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    private static readonly string Baseline = "age\n" + string.Join('\n', Enumerable.Range(0, 200).Select(i => $"{20 + i % 40}"));

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>A model whose alerts go to a port nobody listens on, and one CRITICAL run of it.</summary>
    private async Task<string> AlertingRunAsync()
    {
        Assert.Equal(HttpStatusCode.OK, (await _client.PutAsync("/api/models/churn",
            Json("""{"model_version":"1","features":["age"],"webhooks":["http://127.0.0.1:1/hook"]}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.PutAsync("/api/models/churn/baseline", new StringContent(Baseline, Encoding.UTF8, "text/csv"))).StatusCode);
        var shifted = JsonSerializer.Serialize(new { rows = Enumerable.Range(0, 200).Select(i => new { age = 50 + i % 40 }) });
        var run = await AuditApiTests.Json(await _client.PostAsync("/api/models/churn/runs", Json(shifted)));
        Assert.Equal("CRITICAL", run.GetProperty("alert_level").GetString());
        return run.GetProperty("check_id").GetString()!;
    }

    [Fact]
    public async Task RunAlert_ShowsEachDeliveryAttempt_MadeByTheHostsDeliveryLoop()
    {
        var checkId = await AlertingRunAsync();
        JsonElement delivery = default;
        // Bounded wait for the hosted delivery loop (woken by the alert) to make its first attempt.
        for (var deadline = DateTime.UtcNow.AddSeconds(20); DateTime.UtcNow < deadline; await Task.Delay(50))
        {
            var alert = await AuditApiTests.Json(await _client.GetAsync($"/api/models/churn/runs/{checkId}/alert"));
            delivery = alert.GetProperty("deliveries")[0];
            if (delivery.GetProperty("attempts").GetInt32() >= 1) break;
        }

        Assert.Equal(1, delivery.GetProperty("attempts").GetInt32());
        Assert.Equal("PENDING", delivery.GetProperty("state").GetString()); // retried later, with backoff
        Assert.Equal("webhook", delivery.GetProperty("channel").GetString());
        var attempt = delivery.GetProperty("attempt_log")[0];
        Assert.False(attempt.GetProperty("delivered").GetBoolean());
        Assert.False(string.IsNullOrEmpty(attempt.GetProperty("error").GetString()));
        Assert.True(delivery.GetProperty("next_attempt_at").GetDateTime() > attempt.GetProperty("at").GetDateTime());

        var unknown = await _client.GetAsync("/api/models/churn/runs/nope/alert");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
    }

    [Fact]
    public async Task Acknowledging_NeedsTheRunChecksPermission_AndIsRecordedWithThePersonAndNote()
    {
        var checkId = await AlertingRunAsync();
        var auditor = await _factory.SignInAsync(ConsoleRoles.Auditor, "olivia");
        Assert.Equal(HttpStatusCode.Forbidden, (await auditor.PostAsync($"/api/models/churn/runs/{checkId}/alert/acknowledge", Json("{}"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.PostAsync($"/api/models/churn/runs/{checkId}/alert/acknowledge", Json("""{"note":5}"""))).StatusCode);

        var acknowledged = await _client.PostAsync($"/api/models/churn/runs/{checkId}/alert/acknowledge", Json("""{"note":"retraining on Monday"}"""));
        Assert.Equal(HttpStatusCode.OK, acknowledged.StatusCode);
        var alert = await AuditApiTests.Json(acknowledged);
        Assert.Equal("dora", alert.GetProperty("acknowledged_by").GetString());
        Assert.Equal("retraining on Monday", alert.GetProperty("acknowledge_note").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.PostAsync($"/api/models/churn/runs/{checkId}/alert/acknowledge", null)).StatusCode);

        var trail = await AuditApiTests.Json(await _client.GetAsync("/api/audit/entries?resource_type=model&resource_id=churn&action=DRIFT_ALERT_ACKNOWLEDGED"));
        var entry = Assert.Single(trail.GetProperty("entries").EnumerateArray());
        Assert.Equal("dora", entry.GetProperty("actor").GetString());
        using var data = JsonDocument.Parse(entry.GetProperty("data").GetString()!);
        Assert.Equal(checkId, data.RootElement.GetProperty("check_id").GetString());
        Assert.Equal("retraining on Monday", data.RootElement.GetProperty("note").GetString());
    }
}
