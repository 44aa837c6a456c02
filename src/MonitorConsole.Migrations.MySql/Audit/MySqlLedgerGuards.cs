namespace MonitorConsole.Migrations.MySql.Audit;

/// <summary>
/// The ledger's guards on MySQL and MariaDB, the counterparts of PostgreSQL's and SQLite's: rows are never updated
/// or deleted (BEFORE UPDATE / BEFORE DELETE triggers that SIGNAL), and a new row must continue the chain head. MySQL
/// has no TRUNCATE trigger: TRUNCATE needs the DROP privilege, which the console's runtime account must not have
/// (docs/security.md). Creating triggers with binary logging on needs SUPER or log_bin_trust_function_creators = 1.
/// </summary>
internal static class MySqlLedgerGuards
{
    /// <summary>
    /// Hash lookups go through a prefix index on the first 16 hex digits (64 bits), unique: every row is a chain row
    /// (the check constraint and the insert guard refuse anything below sequence 1), so this is the PostgreSQL and
    /// SQLite "unique among chain rows" index. Columns are utf8mb4_bin, so 'ABC' and 'abc' differ.
    /// </summary>
    public const string UniqueHashPrefixIndex =
        "CREATE UNIQUE INDEX ux_audit_entries_entry_hash_prefix ON audit_entries (entry_hash(16));";

    public const string SequencePositive =
        "ALTER TABLE audit_entries ADD CONSTRAINT ck_audit_entries_sequence_positive CHECK (sequence >= 1);";

    public static string NoChange(string table, string operation) => $"""
        CREATE TRIGGER {table}_no_{operation.ToLowerInvariant()} BEFORE {operation} ON {table} FOR EACH ROW
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '{table} is append-only: {operation} is not allowed';
        """;

    /// <summary>
    /// The update guard of audit_entries since erasure: an UPDATE may only set data to the empty text (and nothing
    /// else), of an entry that is not a ROLLBACK or ERASURE entry and still has its data, once a later ERASURE entry
    /// names it by the opening of its data (sequence and entry hash). Lengths are compared, not text: the columns'
    /// PAD SPACE collation would take spaces for the empty text. `&lt;=&gt;` compares NULLs as equal.
    /// </summary>
    public const string ErasureOnlyUpdate = """
        CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries FOR EACH ROW
        BEGIN
            DECLARE opening LONGTEXT;
            SET opening = CONCAT('{"erased_sequence":', OLD.sequence, ',"erased_entry_hash":"', OLD.entry_hash, '",');
            IF NOT (CHAR_LENGTH(NEW.data) = 0 AND CHAR_LENGTH(OLD.data) > 0
                    AND NEW.sequence <=> OLD.sequence AND NEW.entry_id <=> OLD.entry_id AND NEW.timestamp <=> OLD.timestamp
                    AND NEW.action <=> OLD.action AND NEW.actor <=> OLD.actor AND NEW.resource_type <=> OLD.resource_type
                    AND NEW.resource_id <=> OLD.resource_id AND NEW.details <=> OLD.details AND NEW.data_hash <=> OLD.data_hash
                    AND NEW.previous_hash <=> OLD.previous_hash AND NEW.entry_hash <=> OLD.entry_hash
                    AND OLD.action NOT IN ('ROLLBACK', 'ERASURE')
                    AND EXISTS (SELECT 1 FROM audit_entries e
                                WHERE e.action = 'ERASURE' AND e.sequence > OLD.sequence
                                  AND LEFT(e.data, CHAR_LENGTH(opening)) = opening))
            THEN
                SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_entries is append-only: UPDATE is not allowed (only an erasure recorded by an ERASURE entry may blank an entry''s data)';
            END IF;
        END
        """;

    /// <summary>
    /// A row must continue the head: sequence = head + 1 (1 on an empty table), previous_hash = the head's entry_hash
    /// (the genesis hash for the first), timestamp not before the head's. A BEFORE INSERT trigger may read its own
    /// table, and in a multi-row INSERT it sees the rows the statement has already inserted, so each row is checked
    /// against the one before it. Comparisons are in the columns' binary collation.
    /// </summary>
    public const string ContinueHead = """
        CREATE TRIGGER audit_entries_continue_head BEFORE INSERT ON audit_entries FOR EACH ROW
        BEGIN
            DECLARE head_sequence BIGINT;
            SET head_sequence = (SELECT MAX(sequence) FROM audit_entries);
            IF NEW.sequence IS NULL OR NEW.sequence < 1
               OR (head_sequence IS NULL AND (NEW.sequence <> 1
                   OR NEW.previous_hash <> '0000000000000000000000000000000000000000000000000000000000000000'))
               OR (head_sequence IS NOT NULL AND (NEW.sequence <> head_sequence + 1
                   OR NOT EXISTS (SELECT 1 FROM audit_entries h WHERE h.sequence = head_sequence
                                  AND h.entry_hash = NEW.previous_hash AND h.timestamp <= NEW.timestamp)))
            THEN
                SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_entries: a new entry must continue the chain head (sequence = head + 1, previous_hash = the head''s entry_hash, timestamp not before the head''s)';
            END IF;
        END
        """;

    /// <summary>
    /// The checkpoints' update guard: an UPDATE may only set the anchor columns (token, genTime, failure reason) of a
    /// row that has no token yet; everything else stays refused. Null-safe comparisons (&lt;=&gt;) in binary collation.
    /// </summary>
    public const string CheckpointAnchorOnce = """
        CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints FOR EACH ROW
        BEGIN
            IF OLD.timestamp_token IS NOT NULL OR NOT (NEW.id <=> OLD.id) OR NOT (NEW.checkpoint <=> OLD.checkpoint)
               OR NOT (NEW.tree_size <=> OLD.tree_size) OR NOT (NEW.timestamp <=> OLD.timestamp)
            THEN
                SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_checkpoints is append-only: UPDATE is not allowed (only a checkpoint without a timestamp token may get one)';
            END IF;
        END
        """;

    public static readonly string[] Tables = ["audit_entries", "audit_checkpoints"];
}
