namespace MonitorConsole.Audit;

/// <summary>A row as read from an export, before any trust is placed in it.</summary>
public sealed record RawEntry(
    long? Sequence,
    string? EntryId,
    string? Timestamp,
    string? Action,
    string? Actor,
    string? ResourceType,
    string? ResourceId,
    string? Data,
    string? Details,
    string? DataHash,
    string? PreviousHash,
    string? EntryHash);
