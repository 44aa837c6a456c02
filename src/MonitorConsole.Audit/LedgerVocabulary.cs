namespace MonitorConsole.Audit;

/// <summary>
/// The words the ledger itself gives meaning to, defined once: reserved actions only the ledger writes, its own
/// resource type, and the actor names that stand for something other than a person.
/// </summary>
public static class LedgerVocabulary
{
    /// <summary>A rollback: only the ledger appends it (the append API refuses it).</summary>
    public const string RollbackAction = "ROLLBACK";

    /// <summary>
    /// The erasure of an entry's data text (personal data): names the erased entry by sequence and entry hash, with the
    /// reason, and never the erased content. Only the erasure service appends it, in the transaction that blanks the data.
    /// </summary>
    public const string ErasureAction = "ERASURE";

    /// <summary>
    /// A ledger export whose every byte was written and flushed to the client: with the bytes, their SHA-256 and the
    /// entries the file holds. Written after the download, as the completion of the LEDGER_EXPORTED entry it names.
    /// </summary>
    public const string LedgerExportDeliveredAction = "LEDGER_EXPORT_DELIVERED";

    /// <summary>A ledger export that stopped before its end (client gone, error): with the bytes written until then.</summary>
    public const string LedgerExportInterruptedAction = "LEDGER_EXPORT_INTERRUPTED";

    /// <summary>The completion of a RUNS_EXPORTED entry, as <see cref="LedgerExportDeliveredAction"/> for run history.</summary>
    public const string RunsExportDeliveredAction = "RUNS_EXPORT_DELIVERED";

    /// <summary>A run-history export that stopped before its end, as <see cref="LedgerExportInterruptedAction"/>.</summary>
    public const string RunsExportInterruptedAction = "RUNS_EXPORT_INTERRUPTED";

    /// <summary>A verified copy of the SQLite ledger (`audit backup`), recorded before the copy is taken.</summary>
    public const string LedgerBackedUpAction = "LEDGER_BACKED_UP";

    /// <summary>
    /// An evidence pack was made: with the zip's SHA-256 and size, its scope and the checkpoint its proofs lead to.
    /// Written after the pack is complete and checked, before it is handed over, so `sha256sum pack.zip` finds it.
    /// </summary>
    public const string EvidencePackMadeAction = "EVIDENCE_PACK_MADE";

    /// <summary>
    /// Actions that callers may not append: a forged delivery record would let a doctored file match a real download.
    /// </summary>
    public static readonly IReadOnlySet<string> ReservedActions = new HashSet<string>(StringComparer.Ordinal)
    {
        RollbackAction,
        ErasureAction,
        LedgerExportDeliveredAction,
        LedgerExportInterruptedAction,
        RunsExportDeliveredAction,
        RunsExportInterruptedAction,
        LedgerBackedUpAction,
        EvidencePackMadeAction,
    };

    /// <summary>
    /// Whether a caller's action would pass for a reserved one. Databases compare more loosely than C#: SQL Server's
    /// default collations ignore case and character width, and SQL Server and MySQL ignore trailing spaces, so
    /// "rollback ", "Rollback" or a full-width "ＲＯＬＬＢＡＣＫ" would match the ledger's own lookups there.
    /// </summary>
    public static bool IsReservedLookalike(string action) =>
        ReservedActions.Contains(action.Normalize(System.Text.NormalizationForm.FormKC).Trim().ToUpperInvariant());

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
