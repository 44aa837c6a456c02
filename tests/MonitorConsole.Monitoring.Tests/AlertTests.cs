using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using MonitorConsole.Access;
using MonitorConsole.Audit.Queries;
using MonitorConsole.Monitoring.Alerts;
using MonitorConsole.Monitoring.Ingestion;
using MonitorConsole.Monitoring.Models;
using MonitorConsole.Monitoring.Runs;
using MonitorConsole.Tests.Shared;

namespace MonitorConsole.Monitoring.Tests;

/// <summary>Alerts after the facts: saved run first, the outbox, retries across restarts, cooldown, acknowledgement.</summary>
public sealed class AlertTests
{
    private static Task<DriftRun> DriftedRunAsync(MonitoringFixture f) =>
        f.Runner.RunNowAsync(Callers.Scientist("alice"), "credit_risk", Data.Rows(200, ageShift: 15));

    /// <summary>Ages like the baseline, incomes far above it: only income drifts.</summary>
    private static ObservationBatch IncomeShifted(int count) => new(new Dictionary<string, string?[]>
    {
        ["age"] = Data.Rows(count).Columns["age"],
        ["income"] = [.. Enumerable.Range(0, count).Select(i => (90000 + i * 97 % 50000).ToString(CultureInfo.InvariantCulture))],
    }, [], []);

    [Fact]
    public async Task AlertingRun_IsSavedAndItsAlertQueued_BeforeAnythingIsSent()
    {
        using var receiver = new WebhookReceiver();
        await using var f = new MonitoringFixture();
        await f.CreateModelAsync(webhooks: [receiver.Url]);
        var run = await DriftedRunAsync(f);

        Assert.Empty(receiver.Bodies);
        var saved = Assert.Single(await f.History.HistoryAsync(new HistoryFilter("credit_risk")));
        Assert.Equal(RunStatus.Completed, saved.Status);
        Assert.Equal("CRITICAL", saved.AlertLevel);
        var queued = Assert.Single((await f.Alerts.ForRunAsync("credit_risk", run.CheckId))!.Deliveries);
        Assert.Equal(DeliveryState.Pending, queued.State);
        Assert.Equal(0, queued.Attempts);

        Assert.Equal(1, await f.Deliveries.DeliverDueAsync());
        Assert.Single(receiver.Bodies);
        var delivered = Assert.Single((await f.Alerts.ForRunAsync("credit_risk", run.CheckId))!.Deliveries);
        Assert.Equal(DeliveryState.Delivered, delivered.State);
        Assert.Equal(200, Assert.Single(delivered.AttemptLog).Status);
    }

    [Fact]
    public async Task AlertThatCannotBeRecorded_NeverFailsTheRun()
    {
        await using var f = new MonitoringFixture();
        await f.CreateModelAsync(webhooks: ["http://127.0.0.1:1/hook"]);
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(f.Folder, "console.db")};Pooling=False"))
        {
            connection.Open();
            using var drop = connection.CreateCommand();
            drop.CommandText = "DROP TABLE drift_alerts";
            drop.ExecuteNonQuery();
        }
        var run = await DriftedRunAsync(f);

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(RunStatus.Completed, Assert.Single(await f.History.HistoryAsync(new HistoryFilter("credit_risk"))).Status);
    }

    [Fact]
    public async Task FailingDelivery_IsRetriedWithGrowingJitteredBackoff_UntilTheLimit_WithEveryAttemptOnTheRun()
    {
        using var receiver = new WebhookReceiver(status: 500);
        await using var f = new MonitoringFixture(o =>
        {
            o.WebhookAttempts = 3;
            o.WebhookBackoff = TimeSpan.FromMinutes(1);
        });
        await f.CreateModelAsync(webhooks: [receiver.Url]);
        var run = await DriftedRunAsync(f);

        Assert.Equal(1, await f.Deliveries.DeliverDueAsync());
        Assert.Equal(0, await f.Deliveries.DeliverDueAsync()); // not due before its backoff
        var first = Assert.Single((await f.Alerts.ForRunAsync("credit_risk", run.CheckId))!.Deliveries);
        var wait = first.NextAttemptAt!.Value - first.AttemptLog[0].At;
        Assert.InRange(wait, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1)); // half to all of the first backoff

        f.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await f.Deliveries.DeliverDueAsync());
        var second = Assert.Single((await f.Alerts.ForRunAsync("credit_risk", run.CheckId))!.Deliveries);
        Assert.InRange(second.NextAttemptAt!.Value - second.AttemptLog[1].At, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2)); // doubled

        f.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, await f.Deliveries.DeliverDueAsync());
        f.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await f.Deliveries.DeliverDueAsync()); // used up

        var failed = Assert.Single((await f.Alerts.ForRunAsync("credit_risk", run.CheckId))!.Deliveries);
        Assert.Equal(DeliveryState.Failed, failed.State);
        Assert.Equal([500, 500, 500], failed.AttemptLog.Select(a => a.Status));
        Assert.Equal(3, receiver.Bodies.Count);
        var saved = Assert.Single(await f.History.HistoryAsync(new HistoryFilter("credit_risk")));
        Assert.Equal(RunStatus.Completed, saved.Status);
        Assert.Contains("HTTP 500 after 3 attempt(s)", saved.WebhookErrors);
    }

    [Fact]
    public async Task Backoff_DoublesFromTheFirstWait_AndIsCappedAtTheMaximum()
    {
        await using var f = new MonitoringFixture(o =>
        {
            o.WebhookBackoff = TimeSpan.FromSeconds(30);
            o.WebhookMaxBackoff = TimeSpan.FromHours(1);
        });
        Assert.InRange(f.Deliveries.Backoff(3), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2));
        Assert.InRange(f.Deliveries.Backoff(20), TimeSpan.FromMinutes(30), TimeSpan.FromHours(1));
    }

    [Fact]
    public async Task ClientError_IsNotRetried()
    {
        using var receiver = new WebhookReceiver(status: 404);
        await using var f = new MonitoringFixture();
        await f.CreateModelAsync(webhooks: [receiver.Url]);
        var run = await DriftedRunAsync(f);
        await f.Deliveries.DeliverDueAsync();
        f.Clock.Advance(TimeSpan.FromHours(2));
        await f.Deliveries.DeliverDueAsync();

        var delivery = Assert.Single((await f.Alerts.ForRunAsync("credit_risk", run.CheckId))!.Deliveries);
        Assert.Equal(DeliveryState.Failed, delivery.State);
        Assert.Equal(1, delivery.Attempts);
        Assert.Equal("HTTP 404", delivery.LastError);
    }

    [Fact]
    public async Task QueuedDelivery_GoesOutAfterARestart_AndItsEarlierAttemptIsKept()
    {
        using var receiver = new WebhookReceiver(status: 503);
        await using var f = new MonitoringFixture(o =>
        {
            // Long enough that no second attempt is in flight when the host stops; short enough for the new host.
            o.WebhookBackoff = TimeSpan.FromSeconds(2);
            o.AlertDeliveryPollInterval = TimeSpan.FromMilliseconds(50);
        }, clock: TimeProvider.System);
        await f.CreateModelAsync(webhooks: [receiver.Url]);
        await f.StartHostedServicesAsync();
        var run = await DriftedRunAsync(f);
        await WaitForAsync(f, run.CheckId, d => d.Attempts >= 1);

        await f.RestartAsync();
        receiver.Status = 200;
        await f.StartHostedServicesAsync();
        var delivered = await WaitForAsync(f, run.CheckId, d => d.State == DeliveryState.Delivered);

        Assert.Equal(503, delivered.AttemptLog[0].Status);
        Assert.Equal(200, delivered.AttemptLog[^1].Status);
        Assert.Equal(delivered.Attempts, receiver.Bodies.Count);
    }

    [Fact]
    public async Task TwoWorkers_DeliverEachAlertOnce_OnSqlite() => await DeliverEachOnceAsync(null);

    [Theory]
    [InlineData(ServerDatabase.PostgreSql)]
    [InlineData(ServerDatabase.MySql)]
    public async Task TwoWorkers_DeliverEachAlertOnce_OnAServerDatabase(string server)
    {
        await using ServerDatabase database = server == ServerDatabase.MySql ? await MySqlDatabase.CreateAsync() : await PostgresDatabase.CreateAsync();
        await DeliverEachOnceAsync(database.Database);
    }

    private static async Task DeliverEachOnceAsync(string? database)
    {
        using var receiver = new WebhookReceiver();
        await using var f = new MonitoringFixture(o => o.AlertCooldown = TimeSpan.Zero, database: database);
        await f.CreateModelAsync(webhooks: [.. Enumerable.Range(0, 15).Select(i => $"{receiver.Url}?n={i}")]);
        await DriftedRunAsync(f);
        await DriftedRunAsync(f);

        var one = f.NewDeliveryWorker();
        var other = f.NewDeliveryWorker();
        var attempts = await Task.WhenAll(Task.Run(() => one.DeliverDueAsync()), Task.Run(() => other.DeliverDueAsync()));

        Assert.Equal(30, attempts.Sum());
        Assert.Equal(30, receiver.Bodies.Count);
    }

    [Fact]
    public async Task UnchangedAlert_WithinTheCooldown_IsRecordedAsSuppressed_ADifferentOneOrALaterOneIsSent()
    {
        using var receiver = new WebhookReceiver();
        await using var f = new MonitoringFixture(o => o.AlertCooldown = TimeSpan.FromHours(6));
        await f.CreateModelAsync(webhooks: [receiver.Url]);
        var first = await DriftedRunAsync(f);
        f.Clock.Advance(TimeSpan.FromHours(1));
        var repeat = await DriftedRunAsync(f);
        f.Clock.Advance(TimeSpan.FromHours(1));
        var other = await f.Runner.RunNowAsync(Callers.Scientist("alice"), "credit_risk", IncomeShifted(200));
        f.Clock.Advance(TimeSpan.FromHours(6));
        var later = await DriftedRunAsync(f);

        var alerts = (await f.Alerts.RecentAsync("credit_risk")).ToDictionary(a => a.CheckId);
        Assert.True(alerts[first.CheckId].Sent);
        var suppressed = alerts[repeat.CheckId];
        Assert.False(suppressed.Sent);
        Assert.Empty(suppressed.Deliveries);
        Assert.Contains($"as the CRITICAL alert of check {first.CheckId}", suppressed.SuppressedReason);
        Assert.Contains("cooldown 6 h", suppressed.SuppressedReason);
        Assert.True(alerts[other.CheckId].Sent);
        Assert.Equal(["income"], alerts[other.CheckId].DriftedFeatures);
        Assert.True(alerts[later.CheckId].Sent);

        // Every alert is still in the ledger; the suppressed one says so.
        var entries = (await f.Audit.GetTrailAsync(TrailFilter.ForResource("model", "credit_risk") with { Action = "DRIFT_ALERT" })).Entries;
        Assert.Equal(4, entries.Count);
        Assert.Single(entries, e => e.Entry.Details?.Contains("suppressed", StringComparison.Ordinal) == true);
        Assert.Equal(3, await f.Deliveries.DeliverDueAsync());
    }

    [Fact]
    public async Task WorseLevel_IsSentWithinTheCooldown_ALowerOneWithTheSameFeaturesIsNot()
    {
        await using var f = new MonitoringFixture(o => o.AlertCooldown = TimeSpan.FromHours(6));
        await f.CreateModelAsync(webhooks: ["https://alerts.example.com/drift"]);
        Task<DriftRun> SafetyRunAsync(Drift.SafetySeverity severity) => f.Runner.RunNowAsync(Callers.Scientist("alice"), "credit_risk",
            Data.Rows(200) with { SafetyEvents = [new Drift.SafetyEvent("pii_leak", severity)] });
        var warning = await SafetyRunAsync(Drift.SafetySeverity.High);
        var critical = await SafetyRunAsync(Drift.SafetySeverity.Critical);
        var lower = await SafetyRunAsync(Drift.SafetySeverity.High);

        var alerts = (await f.Alerts.RecentAsync("credit_risk")).ToDictionary(a => a.CheckId);
        Assert.Equal("WARNING", alerts[warning.CheckId].Level);
        Assert.Empty(alerts[warning.CheckId].DriftedFeatures);
        Assert.True(alerts[critical.CheckId].Sent);
        Assert.False(alerts[lower.CheckId].Sent);
        Assert.Contains($"as the CRITICAL alert of check {critical.CheckId}", alerts[lower.CheckId].SuppressedReason);
    }

    [Fact]
    public async Task Acknowledgement_IsRecordedInTheLedgerWithThePerson_AndShownOnTheAlert()
    {
        await using var f = new MonitoringFixture();
        await f.CreateModelAsync();
        var run = await DriftedRunAsync(f);
        var normal = await f.Runner.RunNowAsync(Callers.Scientist("alice"), "credit_risk", Data.Rows(200));

        await Assert.ThrowsAsync<AccessDeniedException>(() => f.Alerts.AcknowledgeAsync(Callers.Auditor(), "credit_risk", run.CheckId, null));
        var none = await Assert.ThrowsAsync<MonitoringInputException>(() => f.Alerts.AcknowledgeAsync(Callers.Scientist("bob"), "credit_risk", normal.CheckId, null));
        Assert.Equal("check_id", none.Field);
        var acknowledged = await f.Alerts.AcknowledgeAsync(Callers.Scientist("bob"), "credit_risk", run.CheckId, " retraining scheduled ");

        Assert.Equal("bob", acknowledged.AcknowledgedBy);
        Assert.Equal("retraining scheduled", acknowledged.AcknowledgeNote);
        var again = await Assert.ThrowsAsync<MonitoringInputException>(() => f.Alerts.AcknowledgeAsync(Callers.Scientist("carol"), "credit_risk", run.CheckId, null));
        Assert.Contains("already acknowledged by bob", again.Problem);
        var entry = Assert.Single((await f.Audit.GetTrailAsync(TrailFilter.ForResource("model", "credit_risk") with { Action = RunAlerts.AcknowledgedAction })).Entries).Entry;
        Assert.Equal("bob", entry.Actor);
        using var data = JsonDocument.Parse(entry.Data);
        Assert.Equal(run.CheckId, data.RootElement.GetProperty("check_id").GetString());
        Assert.Equal("retraining scheduled", data.RootElement.GetProperty("note").GetString());
    }

    [Theory]
    [InlineData("https://hooks.slack.com/services/T0/B0/x", AlertChannel.Slack, "https://hooks.slack.com/services/T0/B0/x")]
    [InlineData("https://contoso.webhook.office.com/webhookb2/x", AlertChannel.Teams, "https://contoso.webhook.office.com/webhookb2/x")]
    [InlineData("slack:https://chat.example.com/hooks/x", AlertChannel.Slack, "https://chat.example.com/hooks/x")]
    [InlineData("teams:https://prod.westeurope.logic.azure.com/workflows/x", AlertChannel.Teams, "https://prod.westeurope.logic.azure.com/workflows/x")]
    [InlineData("mailto:ml-oncall@example.com", AlertChannel.Email, "ml-oncall@example.com")]
    [InlineData("https://alerts.example.com/drift", AlertChannel.Webhook, "https://alerts.example.com/drift")]
    public void AlertTarget_IsReadByPrefixThenHost(string entry, string channel, string address)
    {
        var target = AlertTarget.Parse(entry, new MonitoringOptions());
        Assert.Equal(channel, target.Channel);
        Assert.Equal(address, target.Address);
    }

    [Theory]
    [InlineData("mailto:not an address")]
    [InlineData("mailto:a@example.com,b@example.com")]
    [InlineData("slack:http://hooks.example.com/x")]
    [InlineData("teams:https://10.0.0.5/x")]
    public void BadAlertTarget_IsRefusedNamingTheField(string entry)
    {
        var error = Assert.Throws<MonitoringInputException>(() => AlertTarget.Parse(entry, new MonitoringOptions()));
        Assert.Equal("webhooks", error.Field);
    }

    [Fact]
    public async Task SlackAndTeamsTargets_GetTheirOwnBodies_AndAGenericWebhookTheSummary()
    {
        using var slack = new WebhookReceiver();
        using var teams = new WebhookReceiver();
        using var generic = new WebhookReceiver();
        await using var f = new MonitoringFixture();
        await f.CreateModelAsync(webhooks: ["slack:" + slack.Url, "teams:" + teams.Url, generic.Url]);
        await DriftedRunAsync(f);
        Assert.Equal(3, await f.Deliveries.DeliverDueAsync());

        using var slackBody = JsonDocument.Parse(Assert.Single(slack.Bodies));
        Assert.StartsWith("Drift CRITICAL on model credit_risk", slackBody.RootElement.GetProperty("text").GetString());
        Assert.Equal("section", slackBody.RootElement.GetProperty("blocks")[0].GetProperty("type").GetString());
        using var teamsBody = JsonDocument.Parse(Assert.Single(teams.Bodies));
        var attachment = teamsBody.RootElement.GetProperty("attachments")[0];
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment.GetProperty("contentType").GetString());
        Assert.Equal("AdaptiveCard", attachment.GetProperty("content").GetProperty("type").GetString());
        using var genericBody = JsonDocument.Parse(Assert.Single(generic.Bodies));
        Assert.Equal("CRITICAL", genericBody.RootElement.GetProperty("overall_status").GetString());
        Assert.Contains("(age)", genericBody.RootElement.GetProperty("text").GetString());
    }

    [Fact]
    public async Task EmailTarget_IsSentOverSmtp_ToALocalServer()
    {
        using var smtp = new SmtpReceiver();
        await using var f = new MonitoringFixture(o => o.Smtp = new SmtpOptions
        {
            Host = "127.0.0.1", Port = smtp.Port, Security = SmtpSecurity.None, From = "drift@monitorconsole.test",
        });
        await f.CreateModelAsync(webhooks: ["mailto:ml-oncall@example.com"]);
        var run = await DriftedRunAsync(f);
        Assert.Equal(1, await f.Deliveries.DeliverDueAsync());

        var mail = Assert.Single(smtp.Messages);
        Assert.Equal("drift@monitorconsole.test", mail.From);
        Assert.Equal(["ml-oncall@example.com"], mail.To);
        Assert.Contains("Subject: [MonitorConsole] Drift CRITICAL on credit_risk 2.1.0", mail.Data);
        Assert.Contains($"Drift CRITICAL on model credit_risk 2.1.0 (check {run.CheckId})", mail.Data);
        Assert.Equal(DeliveryState.Delivered, Assert.Single((await f.Alerts.ForRunAsync("credit_risk", run.CheckId))!.Deliveries).State);
    }

    [Fact]
    public async Task EmailRefusedByTheServer_OrWithoutAServer_FailsWithoutRetry()
    {
        using var smtp = new SmtpReceiver { RefuseRecipientsWith = "550 5.1.1 no such mailbox" };
        await using var f = new MonitoringFixture(o => o.Smtp = new SmtpOptions { Host = "127.0.0.1", Port = smtp.Port, Security = SmtpSecurity.None });
        await f.CreateModelAsync(webhooks: ["mailto:gone@example.com"]);
        var refused = await DriftedRunAsync(f);
        await f.Deliveries.DeliverDueAsync();
        var delivery = Assert.Single((await f.Alerts.ForRunAsync("credit_risk", refused.CheckId))!.Deliveries);
        Assert.Equal(DeliveryState.Failed, delivery.State);
        Assert.Equal(550, delivery.AttemptLog[0].Status);

        await using var unconfigured = new MonitoringFixture();
        await unconfigured.CreateModelAsync(webhooks: ["mailto:ml-oncall@example.com"]);
        var run = await DriftedRunAsync(unconfigured);
        await unconfigured.Deliveries.DeliverDueAsync();
        var failed = Assert.Single((await unconfigured.Alerts.ForRunAsync("credit_risk", run.CheckId))!.Deliveries);
        Assert.Equal(DeliveryState.Failed, failed.State);
        Assert.Contains("Monitoring:Smtp:Host", failed.LastError);
    }

    private static async Task<DeliveryView> WaitForAsync(MonitoringFixture f, string checkId, Func<DeliveryView, bool> condition)
    {
        // Bounded wait for the hosted loop, which runs on the real clock.
        for (var deadline = DateTime.UtcNow.AddSeconds(20); DateTime.UtcNow < deadline; await Task.Delay(50))
            if ((await f.Alerts.ForRunAsync("credit_risk", checkId))?.Deliveries.SingleOrDefault() is { } d && condition(d)) return d;
        throw new TimeoutException("the delivery loop did not get there within 20 s");
    }
}
