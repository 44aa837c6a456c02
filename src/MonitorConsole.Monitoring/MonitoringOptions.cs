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

    /// <summary>
    /// Attempts per alert delivery (webhook, Slack, Teams, e-mail) before it is FAILED; counted across restarts, since
    /// the outbox keeps them. Default: 8.
    /// </summary>
    public int WebhookAttempts { get; set; } = 8;

    /// <summary>
    /// Wait before the second attempt, doubled for each later one up to <see cref="WebhookMaxBackoff"/>; each wait is
    /// jittered to between half and all of that. Default: 30 s (with 8 attempts: about an hour of trying).
    /// </summary>
    public TimeSpan WebhookBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait between two attempts. Default: 1 h.</summary>
    public TimeSpan WebhookMaxBackoff { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// An alert with the same level (or a lower one) and the same drifted features as one sent within this time is not
    /// sent again; it is recorded as suppressed. Zero sends every alert. Default: 6 h.
    /// </summary>
    public TimeSpan AlertCooldown { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Work off the alert outbox on this node. Default: true.</summary>
    public bool AlertDeliveryEnabled { get; set; } = true;

    /// <summary>How often the outbox is looked at for due deliveries (new alerts wake it at once). Default: 5 s.</summary>
    public TimeSpan AlertDeliveryPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a node holds a delivery it claimed; another node takes it over after that. Longer than one attempt can
    /// take (HTTP 10 s, SMTP 30 s). Default: 2 min.
    /// </summary>
    public TimeSpan AlertDeliveryLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The mail server for <c>mailto:</c> alert targets (Monitoring:Smtp).</summary>
    public SmtpOptions Smtp { get; set; } = new();

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
