namespace MonitorConsole.Monitoring.Models;

public enum ScheduleKind
{
    Hourly,
    Daily,
    Weekly,
    Custom,
}

public enum RunStatus
{
    Pending,
    Running,
    Completed,
    Failed,
    Skipped,
}

/// <summary>A model's drift configuration (the seed's ModelDriftConfig), persisted.</summary>
public sealed class ModelConfig
{
    public string ModelId { get; set; } = "";
    public string ModelVersion { get; set; } = "";
    public ScheduleKind Schedule { get; set; }
    public string? Cron { get; set; }
    public string TimeZone { get; set; } = "UTC";
    public string ThresholdsJson { get; set; } = "{}";
    public string FeaturesJson { get; set; } = "[]";
    public string CategoricalJson { get; set; } = "[]";
    public string? OutputColumn { get; set; }
    public string WebhooksJson { get; set; } = "[]";
    public bool Enabled { get; set; } = true;

    /// <summary>Hours of observations a run looks back over; null means "since the previous run".</summary>
    public double? TrailingWindowHours { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>A model's baseline, kept as the CSV it was uploaded as.</summary>
public sealed class ModelBaseline
{
    public string ModelId { get; set; } = "";
    public string Csv { get; set; } = "";
    public int Rows { get; set; }
    public string ColumnsJson { get; set; } = "[]";
    public DateTime UploadedAt { get; set; }
}

/// <summary>
/// A batch of production data for a model: rows (features and outputs, kept per column in <see cref="ObservationColumn"/>),
/// bias metrics or safety events (JSON). A run claims the unclaimed batches of its model when it starts.
/// </summary>
public sealed class Observation
{
    public long Id { get; set; }
    public string ModelId { get; set; } = "";

    /// <summary>When the server stored it (its clock, not the sender's).</summary>
    public DateTime ReceivedAt { get; set; }

    public string Kind { get; set; } = "";
    public int Count { get; set; }

    /// <summary>Bias and safety items; empty for rows stored by column (rows from before the compact form keep JSON).</summary>
    public string PayloadJson { get; set; } = "";

    /// <summary>The run that used (or set aside) this batch; null until a run claims it.</summary>
    public string? ClaimedBy { get; set; }

    public DateTime? ClaimedAt { get; set; }
}

/// <summary>One drift check (the seed's DriftCheckResult), persisted.</summary>
public sealed class DriftRun
{
    public string CheckId { get; set; } = "";
    public string ModelId { get; set; } = "";
    public string ModelVersion { get; set; } = "";
    public DateTime Timestamp { get; set; }
    public DateTime? ScheduledFor { get; set; }
    public string Trigger { get; set; } = "scheduled";
    public RunStatus Status { get; set; }
    public double DurationMs { get; set; }
    public bool AlertGenerated { get; set; }
    public string? AlertLevel { get; set; }
    public string MetricsJson { get; set; } = "{}";
    public string? ErrorMessage { get; set; }
    public string? WebhookErrors { get; set; }
    public DateTime? WindowStart { get; set; }
    public DateTime? WindowEnd { get; set; }
}
