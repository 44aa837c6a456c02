namespace MonitorConsole.Monitoring.Alerts;

/// <summary>
/// The alert a WARNING or CRITICAL run raised: what it was about, whether it was sent or held back by the cooldown
/// (and why), and who acknowledged it. One per alerting run, keyed by the run's check id.
/// </summary>
public sealed class DriftAlert
{
    public string CheckId { get; set; } = "";
    public string ModelId { get; set; } = "";
    public DateTime RaisedAt { get; set; }

    /// <summary>WARNING or CRITICAL.</summary>
    public string Level { get; set; } = "";

    /// <summary>The features (and "(output)") not at NORMAL, sorted and comma-separated: what the cooldown compares.</summary>
    public string DriftedFeatures { get; set; } = "";

    /// <summary>Null when the alert was sent; otherwise why the cooldown held it back.</summary>
    public string? SuppressedReason { get; set; }

    public DateTime? AcknowledgedAt { get; set; }
    public string? AcknowledgedBy { get; set; }
    public string? AcknowledgeNote { get; set; }
}
