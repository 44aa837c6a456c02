namespace MonitorConsole.Audit;

/// <summary>One row of the audit ledger, exactly as stored and hashed (hash spec v1, docs/hash-chain.md).</summary>
public sealed class AuditEntry
{
    public long Sequence { get; set; }
    public string EntryId { get; set; } = "";
    public DateTime Timestamp { get; set; }
    public string Action { get; set; } = "";
    public string Actor { get; set; } = "";
    public string ResourceType { get; set; } = "";
    public string? ResourceId { get; set; }

    /// <summary>The JSON text serialized once at append time; this exact text is hashed and exported.</summary>
    public string Data { get; set; } = "{}";

    public string? Details { get; set; }
    public string DataHash { get; set; } = "";
    public string PreviousHash { get; set; } = "";
    public string EntryHash { get; set; } = "";
}
