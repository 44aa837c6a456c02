using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MonitorConsole.Audit;
using MonitorConsole.Audit.Chain;
using MonitorConsole.Drift;
using MonitorConsole.Monitoring.Models;

namespace MonitorConsole.Monitoring.Alerts;

/// <summary>
/// A WARNING or CRITICAL run becomes a DRIFT_ALERT ledger entry and a post to the model's webhooks and the global one.
/// A failing webhook is retried with backoff, then recorded on the run; it never fails the run.
/// </summary>
public sealed class AlertDispatcher(
    AuditWriter audit,
    IHttpClientFactory http,
    IOptions<MonitoringOptions> options,
    TimeProvider clock,
    ILogger<AlertDispatcher> logger)
{
    public const string HttpClientName = "drift-webhooks";
    public const string AlertAction = "DRIFT_ALERT";
    public const string Actor = "drift_scheduler";

    /// <summary>Returns the webhook failures, one line each (empty when every webhook took the alert).</summary>
    public async Task<IReadOnlyList<string>> DispatchAsync(
        ModelConfigView model, DriftRun run, IReadOnlyDictionary<string, object?> summary, CancellationToken ct)
    {
        await audit.AppendAsync(new AuditEntryDraft(AlertAction, Actor, "model", model.ModelId,
            JsonSerializer.Serialize(summary),
            JsonSerializer.Serialize(new { severity = run.AlertLevel, check_id = run.CheckId })), ct);

        var targets = model.Webhooks.ToList();
        if (!string.IsNullOrWhiteSpace(options.Value.AlertWebhook)) targets.Add(options.Value.AlertWebhook);
        var body = new Dictionary<string, object?>(summary)
        {
            ["text"] = $"Drift {run.AlertLevel} on model {model.ModelId} {model.ModelVersion} (check {run.CheckId}): " +
                       $"{summary.GetValueOrDefault("input_drift_count")} of {summary.GetValueOrDefault("features_monitored")} features drifted",
        };
        var failures = new List<string>();
        foreach (var target in targets.Distinct())
        {
            var error = await PostAsync(target, body, ct);
            if (error is not null) failures.Add($"{target}: {error}");
        }
        return failures;
    }

    private async Task<string?> PostAsync(string target, object body, CancellationToken ct)
    {
        Uri uri;
        try
        {
            uri = WebhookTargets.Check(target, options.Value);
        }
        catch (MonitoringInputException ex)
        {
            return ex.Problem;
        }
        var client = http.CreateClient(HttpClientName);
        string? last = null;
        var delay = options.Value.WebhookBackoff;
        for (var attempt = 1; attempt <= Math.Max(1, options.Value.WebhookAttempts); attempt++)
        {
            if (attempt > 1)
            {
                await Task.Delay(delay, clock, ct);
                delay *= 2;
            }
            try
            {
                using var response = await client.PostAsJsonAsync(uri, body, ct);
                if (response.IsSuccessStatusCode) return null;
                last = $"HTTP {(int)response.StatusCode} after {attempt} attempt(s)";
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                last = $"{ex.Message} after {attempt} attempt(s)";
            }
        }
        logger.LogWarning("Drift alert webhook {Webhook} failed: {Error}", target, last);
        return last;
    }
}
