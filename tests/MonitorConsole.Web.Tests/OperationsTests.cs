using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using MonitorConsole.Access;
using MonitorConsole.Audit;
using MonitorConsole.Audit.Queries;
using MonitorConsole.Monitoring;
using MonitorConsole.Monitoring.Operations;

namespace MonitorConsole.Web.Tests;

/// <summary>Running the console: the metrics a scraper sees, who may scrape, health endpoints, the schema at start, JSON logs.</summary>
public sealed class OperationsTests
{
    private static ConsoleFactory From(string remoteAddress, Dictionary<string, string>? settings = null) =>
        new(bootstrapAdmin: true, settings, services => services.AddSingleton<IStartupFilter>(new RemoteAddress(IPAddress.Parse(remoteAddress))));

    private static readonly string Baseline = "age\n" + string.Join('\n', Enumerable.Range(0, 200).Select(i => $"{20 + i % 40}"));

    [Fact]
    public async Task AScrape_AfterAppendsAVerificationACheckpointAndDriftRuns_ShowsTheirValues()
    {
        await using var factory = From("127.0.0.1", new()
        {
            ["Monitoring:WebhookAttempts"] = "1",
            ["Monitoring:WebhookBackoff"] = "00:00:00.010",
        });
        var admin = await factory.SignInAsync(ConsoleRoles.Admin);
        var appender = await factory.KeyClientAsync(ApiKeyScopes.AuditAppend);
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Created, (await appender.PostAsync("/api/audit/entries",
                Json(JsonSerializer.Serialize(new { action = "DEPLOY", actor = "ci", resource_type = "model", data = new { n = i } })))).StatusCode);
        var verification = await AuditApiTests.Json(await admin.PostAsync("/api/audit/verify", null));
        Assert.True(verification.GetProperty("valid").GetBoolean());
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/api/audit/checkpoints", null)).StatusCode);

        // One run that alerts (shifted ages) and whose webhook cannot be reached, and one that fails (no baseline).
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync("/api/models/churn",
            Json("""{"model_version":"1","features":["age"],"webhooks":["http://127.0.0.1:1/hook"]}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync("/api/models/churn/baseline", new StringContent(Baseline, Encoding.UTF8, "text/csv"))).StatusCode);
        var shifted = JsonSerializer.Serialize(new { rows = Enumerable.Range(0, 200).Select(i => new { age = 50 + i % 40 }) });
        var alerting = await AuditApiTests.Json(await admin.PostAsync("/api/models/churn/runs", Json(shifted)));
        Assert.Equal("CRITICAL", alerting.GetProperty("alert_level").GetString());
        // The alert goes out from the outbox after the run: wait (bounded) until its one allowed attempt has failed.
        var alertUrl = $"/api/models/churn/runs/{alerting.GetProperty("check_id").GetString()}/alert";
        for (var deadline = DateTime.UtcNow.AddSeconds(20); DateTime.UtcNow < deadline; await Task.Delay(50))
            if ((await AuditApiTests.Json(await admin.GetAsync(alertUrl))).GetProperty("deliveries")[0].GetProperty("state").GetString() == "FAILED") break;
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync("/api/models/bare", Json("""{"model_version":"1"}"""))).StatusCode);
        Assert.Equal("FAILED", (await AuditApiTests.Json(await admin.PostAsync("/api/models/bare/runs", null))).GetProperty("status").GetString());

        var head = await factory.Services.GetRequiredService<AuditQueries>().GetSummaryAsync();
        var metrics = await ScrapeAsync(factory.Anonymous());

        Assert.Equal(head.ChainLength, metrics["monitorconsole_audit_ledger_entries"]);
        // Every entry of this console's ledger was appended by this process: sign-in, key, appends, records, alert.
        Assert.Equal(head.ChainLength, metrics["monitorconsole_audit_entries_appended_total"]);
        Assert.Equal(1, metrics["monitorconsole_audit_verification_valid"]);
        Assert.Equal(verification.GetProperty("total_entries").GetInt64(), metrics["monitorconsole_audit_verification_entries"]);
        Assert.InRange(metrics["monitorconsole_audit_verification_age_seconds"], 0, 60);
        Assert.Equal(verification.GetProperty("total_entries").GetInt64() + 1, metrics["monitorconsole_audit_checkpoint_entries"]); // + the verification's record
        Assert.InRange(metrics["monitorconsole_audit_checkpoint_age_seconds"], 0, 60);
        Assert.InRange(metrics["monitorconsole_audit_ledger_last_append_age_seconds"], 0, 60);
        Assert.Equal(1, metrics["""monitorconsole_drift_runs_total{status="completed",trigger="manual"}"""]);
        Assert.Equal(1, metrics["""monitorconsole_drift_runs_total{status="failed",trigger="manual"}"""]);
        Assert.Equal(1, metrics["""monitorconsole_drift_alerts_total{level="critical"}"""]);
        Assert.Equal(1, metrics["monitorconsole_drift_webhook_failures_total"]);
    }

    [Fact]
    public async Task AVerificationThatFindsTampering_ShowsAsZero()
    {
        await using var factory = From("::1");
        var admin = await factory.SignInAsync(ConsoleRoles.Admin);
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={factory.DatabaseUrl["sqlite:///".Length..]};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "DROP TRIGGER IF EXISTS audit_entries_no_update; UPDATE audit_entries SET actor = 'mallory' WHERE sequence = 1";
            command.ExecuteNonQuery();
        }
        Assert.False((await AuditApiTests.Json(await admin.PostAsync("/api/audit/verify", null))).GetProperty("valid").GetBoolean());
        Assert.Equal(0, (await ScrapeAsync(factory.Anonymous()))["monitorconsole_audit_verification_valid"]);
    }

    [Fact]
    public async Task Metrics_AreRefusedToOtherNetworks_EvenForAnAdministrator_AndServedToAllowedOnes()
    {
        await using var outside = From("203.0.113.9");
        Assert.Equal(HttpStatusCode.Forbidden, (await outside.Anonymous().GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await outside.SignInAsync(ConsoleRoles.Admin)).GetAsync("/metrics")).StatusCode);

        await using var monitoringNet = From("10.20.30.40", new() { ["Operations:Metrics:AllowedNetworks:0"] = "10.20.0.0/16" });
        Assert.Equal(HttpStatusCode.OK, (await monitoringNet.Anonymous().GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task Metrics_WhenDisabled_AreNotServed()
    {
        await using var factory = From("127.0.0.1", new() { ["Operations:Metrics:Enabled"] = "false" });
        // An unknown path like any other: anonymous callers are sent to sign in, people signed in find nothing.
        Assert.Equal(HttpStatusCode.Redirect, (await factory.Anonymous().GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await factory.SignInAsync(ConsoleRoles.Admin)).GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task Health_LiveAsksNothing_ReadyChecksDatabaseSchemaAndScheduler_AndHealthStays()
    {
        await using var factory = new ConsoleFactory();
        var anonymous = factory.Anonymous();
        var live = await anonymous.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Empty((await AuditApiTests.Json(live)).GetProperty("checks").EnumerateObject());

        var ready = await anonymous.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var checks = (await AuditApiTests.Json(ready)).GetProperty("checks");
        Assert.Equal("Healthy", checks.GetProperty("database_schema").GetProperty("status").GetString());
        Assert.Equal("Healthy", checks.GetProperty("database_and_scheduler").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task Ready_Answers503_WhenTheDatabaseDoesNotAnswer()
    {
        await using var factory = new ConsoleFactory();
        var anonymous = factory.Anonymous();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/ready")).StatusCode);
        var file = factory.DatabaseUrl["sqlite:///".Length..];
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Move(file, file + ".away");
        Directory.CreateDirectory(file); // a folder where the file was: SQLite cannot open it
        try
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await anonymous.GetAsync("/health/ready")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/live")).StatusCode);
        }
        finally
        {
            Directory.Delete(file);
            File.Move(file + ".away", file);
        }
    }

    [Fact]
    public async Task WithoutMigrationsOnStart_ABehindSchema_StopsTheStart_NamingTheMigrateCommand()
    {
        await using var factory = new ConsoleFactory(bootstrapAdmin: false, new Dictionary<string, string> { ["Audit:MigrateOnStartup"] = "false" });
        var refused = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains("monitorconsole migrate", refused.Message);
    }

    [Fact]
    public async Task WithoutMigrationsOnStart_AMigratedDatabase_Starts()
    {
        await using var factory = new ConsoleFactory(bootstrapAdmin: true, new Dictionary<string, string> { ["Audit:MigrateOnStartup"] = "false" });
        await using (var cli = new ServiceCollection().AddSingleton(TimeProvider.System)
                         .AddAudit(o =>
                         {
                             o.Database = factory.DatabaseUrl;
                             o.MigrateOnStartup = false;
                         }).AddMonitoring(withScheduler: false).BuildServiceProvider())
            Assert.NotEmpty(await cli.GetRequiredService<DatabaseSchema>().MigrateAsync());
        Assert.Equal(HttpStatusCode.OK, (await factory.Anonymous().GetAsync("/health/ready")).StatusCode);
        await factory.SignInAsync(ConsoleRoles.Admin);
    }

    [Fact]
    public async Task JsonLogs_WriteOneJsonObjectPerLine_WithAUtcTimestamp()
    {
        await using var factory = new ConsoleFactory(bootstrapAdmin: true, new Dictionary<string, string> { ["Operations:LogFormat"] = "json" });
        using var _ = factory.CreateClient();
        var options = factory.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue;
        Assert.Equal(ConsoleFormatterNames.Json, options.FormatterName);
        var formatter = factory.Services.GetServices<ConsoleFormatter>().Single(f => f.Name == options.FormatterName);

        var line = new StringWriter();
        formatter.Write(new LogEntry<string>(LogLevel.Warning, "MonitorConsole.Test", new EventId(7), "drift \"alert\" on churn", null, (s, _) => s),
            new LoggerExternalScopeProvider(), line);
        using var json = JsonDocument.Parse(line.ToString());
        Assert.Equal("drift \"alert\" on churn", json.RootElement.GetProperty("Message").GetString());
        Assert.Equal("Warning", json.RootElement.GetProperty("LogLevel").GetString());
        var timestamp = json.RootElement.GetProperty("Timestamp").GetString()!;
        Assert.EndsWith("Z", timestamp);
        Assert.InRange(DateTime.Parse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal), DateTime.UtcNow.AddMinutes(-5), DateTime.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task AnUnknownLogFormat_StopsTheStart_NamingTheKey()
    {
        await using var factory = new ConsoleFactory(bootstrapAdmin: true, new Dictionary<string, string> { ["Operations:LogFormat"] = "xml" });
        var refused = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains("Operations:LogFormat", refused.Message);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    /// <summary>Prometheus' text format, one sample a line: the series (name and labels, less the scope label) and its value.</summary>
    private static async Task<Dictionary<string, double>> ScrapeAsync(HttpClient client)
    {
        var response = await client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var samples = new Dictionary<string, double>();
        foreach (var line in (await response.Content.ReadAsStringAsync()).Split('\n'))
        {
            if (!line.StartsWith("monitorconsole_", StringComparison.Ordinal)) continue;
            var space = line.LastIndexOf(' ');
            var series = line[..space].Replace("otel_scope_name=\"MonitorConsole.Audit\"", "").Replace("otel_scope_name=\"MonitorConsole.Monitoring\"", "")
                .Replace("{,", "{").Replace(",}", "}").Replace("{}", "");
            samples.Add(series, double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture));
        }
        return samples;
    }

    /// <summary>The test server has no socket; this gives its requests the client address a real connection would have.</summary>
    private sealed class RemoteAddress(IPAddress address) : IStartupFilter
    {
        public Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> Configure(Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> next) => app =>
        {
            app.Use(nextMiddleware => context =>
            {
                context.Connection.RemoteIpAddress = address;
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
