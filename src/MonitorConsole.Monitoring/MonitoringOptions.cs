using MonitorConsole.Audit;

namespace MonitorConsole.Monitoring;

/// <summary>Drift monitoring settings, bound from the "Monitoring" configuration section.</summary>
public sealed class MonitoringOptions
{
    /// <summary>Time zone of schedules that name none. Default: DRIFT_SCHEDULER_TIMEZONE, else UTC.</summary>
    public string DefaultTimeZone { get; set; } = Environment.GetEnvironmentVariable("DRIFT_SCHEDULER_TIMEZONE") is { Length: > 0 } tz ? tz : "UTC";

    /// <summary>A run still going after this long is FAILED. Default: 300 s.</summary>
    public TimeSpan RunTimeout { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>A webhook that gets every alert, besides each model's own. Default: MONITORING_ALERT_WEBHOOK.</summary>
    public string? AlertWebhook { get; set; } = Environment.GetEnvironmentVariable("MONITORING_ALERT_WEBHOOK");

    /// <summary>Allow http:// webhooks (for a local receiver in development and tests). Default: false, https only.</summary>
    public bool AllowInsecureWebhooks { get; set; }

    /// <summary>
    /// Allow webhooks to loopback, private and link-local addresses (a receiver inside your network). Default: false,
    /// so a model's webhook cannot be aimed at internal services.
    /// </summary>
    public bool AllowPrivateWebhookTargets { get; set; }

    /// <summary>Attempts per webhook before it is recorded as failed. Default: 3.</summary>
    public int WebhookAttempts { get; set; } = 3;

    /// <summary>Wait before the second attempt; doubled for each later one. Default: 1 s.</summary>
    public TimeSpan WebhookBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long observations are kept after the run that used (or set aside) them; a periodic job deletes them then.
    /// Observations no run has used are never deleted. Default: 30 days.
    /// </summary>
    public TimeSpan ObservationRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often the retention job looks for observations to delete. Default: 1 hour.</summary>
    public TimeSpan RetentionSweepInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Start the Quartz scheduler with the host. Default: true.</summary>
    public bool SchedulerEnabled { get; set; } = true;
}

/// <summary>Bad monitoring input: names the field and the problem. Nothing was written.</summary>
public sealed class MonitoringInputException(string field, string problem) : InputException(field, problem);

/// <summary>An unknown model.</summary>
public sealed class ModelNotFoundException(string modelId) : Exception($"model_id: no model '{modelId}' is configured")
{
    public string ModelId { get; } = modelId;
}
