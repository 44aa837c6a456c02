using System.Net.Http.Json;
using Microsoft.Playwright;
using MonitorConsole.Tests.Shared;
using Npgsql;

namespace MonitorConsole.E2E;

/// <summary>Two console processes behind one PostgreSQL database: one chain, one schedule.</summary>
public sealed class ClusterTests
{
    [Fact]
    public async Task TwoConsoleInstances_OnOnePostgresDatabase_ShareOneChain_AndRunEachScheduledCheckOnce()
    {
        await using var pg = await PostgresDatabase.CreateAsync();
        await using var first = new SharedDatabaseConsoleApp(pg.ConnectionString);
        await first.InitializeAsync();
        await using var second = new SharedDatabaseConsoleApp(pg.ConnectionString);
        await second.InitializeAsync();

        // A data scientist's model, configured through one instance, with a check every second.
        var admin = await first.AdminPageAsync();
        var put = await admin.APIRequest.PutAsync("/api/models/every_second", new APIRequestContextOptions
        {
            DataObject = new { model_version = "1", schedule = "CUSTOM", cron = "* * * * * ?", features = new[] { "age" } },
        });
        Assert.True(put.Ok, await put.TextAsync());
        var baseline = "age\n" + string.Join('\n', Enumerable.Range(0, 200).Select(i => 20 + i % 40));
        var upload = await admin.APIRequest.PutAsync("/api/models/every_second/baseline", new APIRequestContextOptions
        {
            Data = baseline,
            Headers = new Dictionary<string, string> { ["Content-Type"] = "text/csv" },
        });
        Assert.True(upload.Ok, await upload.TextAsync());

        // Services append through both instances at once.
        var token = await first.CreateKeyAsync("audit:append", "observations:write", "read");
        using var viaFirst = Client(first, token);
        using var viaSecond = Client(second, token);
        var appends = Enumerable.Range(0, 120).Select(i => (i % 2 == 0 ? viaFirst : viaSecond).PostAsJsonAsync("/api/audit/entries",
            new { action = "UPDATE", actor = $"svc_{i % 2}", resource_type = "model", resource_id = $"m{i}" }));
        var responses = await Task.WhenAll(appends);
        Assert.True(responses.All(r => r.StatusCode == System.Net.HttpStatusCode.Created), first.Log + "\n----\n" + second.Log);
        (await viaSecond.PostAsJsonAsync("/api/models/every_second/observations", new { rows = Enumerable.Range(0, 100).Select(i => new { age = 30 + i % 40 }) })).EnsureSuccessStatusCode();

        // Let both schedulers run until several slots have fired (bounded: the trigger fires every second).
        long scheduled = 0;
        for (var deadline = DateTime.UtcNow.AddSeconds(60); scheduled < 5 && DateTime.UtcNow < deadline; await Task.Delay(500))
            scheduled = (long)(await pg.SqlAsync("SELECT count(*) FROM drift_runs WHERE \"Trigger\" = 'scheduled'"))!;
        var duplicated = (long)(await pg.SqlAsync(
            "SELECT count(*) FROM (SELECT \"ScheduledFor\" FROM drift_runs WHERE \"Trigger\" = 'scheduled' GROUP BY \"ScheduledFor\" HAVING count(*) > 1) d"))!;
        var nodes = (long)(await pg.SqlAsync("SELECT count(*) FROM qrtz_scheduler_state"))!;
        Assert.True(scheduled >= 5, $"only {scheduled} scheduled runs in a minute");
        Assert.Equal(0, duplicated);
        Assert.Equal(2, nodes);

        var (code, output) = await first.CliAsync("audit", "verify", "--db", pg.ConnectionString);
        Assert.True(code == 0, output);
        var entries = (long)(await pg.SqlAsync("SELECT count(*) FROM audit_entries"))!;
        Assert.Equal(entries, (long)(await pg.SqlAsync("SELECT count(DISTINCT previous_hash) FROM audit_entries"))!);
    }

    private static HttpClient Client(ConsoleApp app, string token)
    {
        var client = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }
}
