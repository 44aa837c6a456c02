namespace MonitorConsole.Monitoring.Alerts;

public enum DeliveryState
{
    Pending,
    Delivered,
    Failed,
}

/// <summary>
/// One alert on its way to one target (the outbox row): written with the alert, after its run was saved, and worked
/// off by <see cref="AlertDeliveryWorker"/> until it is delivered or has used up its attempts.
/// </summary>
public sealed class AlertDelivery
{
    public long Id { get; set; }
    public string CheckId { get; set; } = "";
    public string ModelId { get; set; } = "";

    /// <summary>webhook, slack, teams or email (<see cref="AlertChannel"/>).</summary>
    public string Channel { get; set; } = "";

    /// <summary>The URL, or the e-mail address.</summary>
    public string Target { get; set; } = "";

    /// <summary>What is sent: the JSON body, or for e-mail a JSON object with subject and text.</summary>
    public string Payload { get; set; } = "";

    public DeliveryState State { get; set; }
    public int Attempts { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public DateTime? DeliveredAt { get; set; }
    public string? LastError { get; set; }

    /// <summary>Every attempt so far, oldest first: a JSON array of <see cref="DeliveryAttempt"/>.</summary>
    public string AttemptLogJson { get; set; } = "[]";

    /// <summary>While set and in the future, the node named in <see cref="LeaseOwner"/> is delivering this row.</summary>
    public DateTime? LeaseUntil { get; set; }
    public string? LeaseOwner { get; set; }
}

/// <summary>One try at a delivery: when, whether it got through, the HTTP status (when there was one) and the error.</summary>
public sealed record DeliveryAttempt(DateTime At, bool Delivered, int? Status, string? Error);
