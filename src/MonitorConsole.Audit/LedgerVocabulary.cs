namespace MonitorConsole.Audit;

/// <summary>
/// The words the ledger itself gives meaning to, defined once: reserved actions only the ledger writes, its own
/// resource type, and the actor names that stand for something other than a person.
/// </summary>
public static class LedgerVocabulary
{
    /// <summary>A rollback: only the ledger appends it (the append API refuses it).</summary>
    public const string RollbackAction = "ROLLBACK";

    /// <summary>Actions that callers may not append.</summary>
    public static readonly IReadOnlySet<string> ReservedActions = new HashSet<string>(StringComparer.Ordinal) { RollbackAction };

    /// <summary>The resource type of entries about the ledger itself (rollbacks).</summary>
    public const string LedgerResourceType = "audit_ledger";

    /// <summary>Actor prefix of an API key: "key:" and the key's name.</summary>
    public const string KeyActorPrefix = "key:";

    /// <summary>Actor prefix of the console acting on its own (setup, bootstrap, schedules).</summary>
    public const string SystemActorPrefix = "system:";

    /// <summary>Actor prefix of the command line: "cli:" and the operating-system user.</summary>
    public const string CliActorPrefix = "cli:";

    /// <summary>The actor of a failed sign-in, whose person is not known.</summary>
    public const string AnonymousActor = "anonymous";
}
