using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace MonitorConsole.Audit.Storage;

public sealed class AuditDbContext(DbContextOptions<AuditDbContext> options) : DbContext(options)
{
    public DbSet<AuditEntry> Entries => Set<AuditEntry>();

    public DbSet<Checkpoints.StoredCheckpoint> Checkpoints => Set<Checkpoints.StoredCheckpoint>();

    public DbSet<Search.SearchToken> SearchTokens => Set<Search.SearchToken>();
    public DbSet<Search.SearchValue> SearchValues => Set<Search.SearchValue>();
    public DbSet<Search.SearchProgress> SearchProgress => Set<Search.SearchProgress>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        // Timestamps are stored as the exact hash-spec text, so they round-trip byte for byte and sort as they compare.
        var timestampAsText = new ValueConverter<DateTime, string>(
            v => HashSpec.FormatTimestamp(v),
            v => DateTime.ParseExact(v, HashSpec.TimestampFormat, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal));

        var e = modelBuilder.Entity<AuditEntry>();
        e.ToTable(AuditSchema.Table);
        e.HasKey(x => x.Sequence);
        e.Property(x => x.Sequence).HasColumnName("sequence").ValueGeneratedNever();
        e.Property(x => x.EntryId).HasColumnName("entry_id").HasMaxLength(36).IsRequired();
        e.Property(x => x.Timestamp).HasColumnName("timestamp").HasConversion(timestampAsText).HasMaxLength(27).IsRequired();
        e.Property(x => x.Action).HasColumnName("action").HasMaxLength(AuditSchema.MaxNameLength).IsRequired();
        e.Property(x => x.Actor).HasColumnName("actor").HasMaxLength(AuditSchema.MaxNameLength).IsRequired();
        e.Property(x => x.ResourceType).HasColumnName("resource_type").HasMaxLength(AuditSchema.MaxNameLength).IsRequired();
        e.Property(x => x.ResourceId).HasColumnName("resource_id").HasMaxLength(AuditSchema.MaxNameLength);
        e.Property(x => x.Data).HasColumnName("data").IsRequired();
        e.Property(x => x.DataHash).HasColumnName("data_hash").HasMaxLength(64).IsRequired();
        e.Property(x => x.EntryHash).HasColumnName("entry_hash").HasMaxLength(64).IsRequired();
        e.Property(x => x.PreviousHash).HasColumnName("previous_hash").HasMaxLength(64).IsRequired();
        e.Property(x => x.Details).HasColumnName("details");

        // Every index costs each append; these are the ones the reads need (measured in docs/performance.md).
        // entry_id is a UUIDv7 (time-ordered), so its unique index grows at the end like the sequence does. There is
        // no timestamp index: timestamps never decrease along the chain, so time ranges are found by binary search on
        // the sequence. The hash lookup index is an expression index, created in the migration.
        e.HasIndex(x => x.EntryId).IsUnique().HasDatabaseName("ux_audit_entries_entry_id");
        e.HasIndex(x => new { x.Actor, x.Sequence }).HasDatabaseName("ix_audit_entries_actor");
        e.HasIndex(x => new { x.ResourceId, x.Sequence }).HasDatabaseName("ix_audit_entries_resource");
        e.HasIndex(x => new { x.Action, x.Sequence }).HasDatabaseName("ix_audit_entries_action");

        var c = modelBuilder.Entity<Checkpoints.StoredCheckpoint>();
        c.ToTable("audit_checkpoints");
        c.HasKey(x => x.Id);
        c.Property(x => x.Id).HasColumnName("id");
        c.Property(x => x.Json).HasColumnName("checkpoint").IsRequired();
        c.Property(x => x.TreeSize).HasColumnName("tree_size");
        c.Property(x => x.Timestamp).HasColumnName("timestamp").HasMaxLength(27).IsRequired();
        c.Property(x => x.TimestampToken).HasColumnName("timestamp_token");
        c.Property(x => x.AnchoredAt).HasColumnName("anchored_at").HasMaxLength(27);
        c.Property(x => x.AnchorProblem).HasColumnName("anchor_problem").HasMaxLength(AuditSchema.MaxAnchorProblemLength);

        // The search index lives beside the chain, written after commit by the search indexer (never by an append).
        var t = modelBuilder.Entity<Search.SearchToken>();
        t.ToTable(AuditSchema.SearchTokensTable);
        t.HasKey(x => new { x.Token, x.Sequence });
        t.Property(x => x.Token).HasColumnName("token").HasMaxLength(Search.SearchTokens.MaxLength);
        t.Property(x => x.Sequence).HasColumnName("sequence").ValueGeneratedNever();

        var v = modelBuilder.Entity<Search.SearchValue>();
        v.ToTable(AuditSchema.SearchValuesTable);
        v.HasKey(x => new { x.Field, x.Value });
        v.Property(x => x.Field).HasColumnName("field").HasMaxLength(16);
        v.Property(x => x.Value).HasColumnName("value").HasMaxLength(AuditSchema.MaxSearchValueLength);
        v.Property(x => x.ValueLower).HasColumnName("value_lower").HasMaxLength(AuditSchema.MaxSearchValueLength).IsRequired();
        v.HasIndex(x => new { x.Field, x.ValueLower }).HasDatabaseName("ix_audit_search_values_lower");

        var p = modelBuilder.Entity<Search.SearchProgress>();
        p.ToTable(AuditSchema.SearchProgressTable);
        p.HasKey(x => x.Id);
        p.Property(x => x.Id).HasColumnName("id").ValueGeneratedNever();
        p.Property(x => x.IndexedThrough).HasColumnName("indexed_through");
        p.HasData(new Search.SearchProgress { Id = 1, IndexedThrough = 0 });
    }
}

public static class AuditSchema
{
    public const string Table = "audit_entries";

    public const string SearchTokensTable = "audit_search_tokens";
    public const string SearchValuesTable = "audit_search_values";
    public const string SearchProgressTable = "audit_search_progress";

    /// <summary>Longest action, actor, resource type or resource id, in characters.</summary>
    public const int MaxNameLength = 256;

    /// <summary>Longest stored reason a checkpoint is not anchored, in characters (longer ones are cut).</summary>
    public const int MaxAnchorProblemLength = 1000;

    /// <summary>
    /// Longest value the search index records for suggestions and any-case filters (a key within SQL Server's 900-byte
    /// clustered limit); a longer one is still found when typed exactly.
    /// </summary>
    public const int MaxSearchValueLength = 400;

    public const string Columns =
        "sequence, entry_id, timestamp, action, actor, resource_type, resource_id, data, details, data_hash, previous_hash, entry_hash";

    /// <summary>
    /// Hashes are looked up through an index on their first 16 hex digits (64 bits): a full 64-character key in a
    /// random-order index costs appends about a third of their rate at 1,000,000 entries (docs/performance.md).
    /// </summary>
    public const string HashPrefixIndexSql =
        "CREATE INDEX ix_audit_entries_entry_hash_prefix ON audit_entries (substr(entry_hash, 1, 16));";

    /// <summary>
    /// The chain's entry hashes are unique: the hash lookup index is unique over its 16-hex-digit (64-bit) prefix,
    /// which costs an append nothing over the plain index it replaces (the same B-tree probe finds the duplicate). Two
    /// genuine entries share such a prefix with a chance of about n²/2⁶⁵ (3·10⁻⁶ at 10,000,000 entries); the append
    /// that met it fails and succeeds when retried, since its id and time differ. Rows below sequence 1 are left out,
    /// so a database with rows planted there still migrates (verification reports them).
    /// </summary>
    public const string UniqueHashPrefixIndexSql =
        "CREATE UNIQUE INDEX ux_audit_entries_entry_hash_prefix ON audit_entries (substr(entry_hash, 1, 16)) WHERE sequence >= 1;";

    /// <summary>
    /// An insert must continue the chain: sequence 1 or more, nothing after it, and (after the first) linked to the
    /// entry before it by hash and not dated before it. Checked after the row is in, so one lookup of the row before
    /// and one probe past the new row suffice. A trigger makes SQLite keep a statement journal for every INSERT
    /// statement, so the ledger's writer sends up to 8 rows per statement, which lowers the guard's cost
    /// (docs/performance.md). The append path never trips it; raw SQL that plants, backdates or forks does.
    /// </summary>
    public const string SqliteContinueHeadTriggerSql = """
        CREATE TRIGGER audit_entries_continue_head AFTER INSERT ON audit_entries
        WHEN NEW.sequence < 1
          OR EXISTS (SELECT 1 FROM audit_entries WHERE sequence > NEW.sequence)
          OR (NEW.sequence = 1 AND NEW.previous_hash IS NOT '0000000000000000000000000000000000000000000000000000000000000000')
          OR (NEW.sequence > 1 AND NOT EXISTS (SELECT 1 FROM audit_entries WHERE sequence = NEW.sequence - 1
                                               AND entry_hash = NEW.previous_hash AND timestamp <= NEW.timestamp))
        BEGIN
            SELECT RAISE(ABORT, 'audit_entries: a new entry must continue the chain head (sequence = head + 1, previous_hash = the head''s entry_hash, timestamp not before the head''s)');
        END;
        """;

    /// <summary>
    /// The checkpoints' update guard: an UPDATE may only set the anchor columns (token, genTime, failure reason) of a
    /// row that has no token yet (anchoring later, or recording a new failure); once a token is stored nothing changes.
    /// </summary>
    public const string SqliteCheckpointAnchorOnceTriggerSql = """
        CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
        WHEN OLD.timestamp_token IS NOT NULL OR NEW.id IS NOT OLD.id OR NEW.checkpoint IS NOT OLD.checkpoint
          OR NEW.tree_size IS NOT OLD.tree_size OR NEW.timestamp IS NOT OLD.timestamp
        BEGIN
            SELECT RAISE(ABORT, 'audit_checkpoints is append-only: UPDATE is not allowed (only a checkpoint without a timestamp token may get one)');
        END;
        """;

    /// Entries are never updated or deleted, with one exception: the erasure of an entry's data text. An UPDATE may
    /// set data to the empty text, changing nothing else, for an entry that is not a ROLLBACK or ERASURE entry, still
    /// has its data, and is named by a later ERASURE entry whose data opens with its sequence and entry hash
    /// (the opening the erasure service writes). So data can be blanked only once the ledger records it; with this
    /// trigger dropped, a blanked row has no ERASURE entry and verification reports it.
    /// </summary>
    public const string SqliteErasureOnlyUpdateTriggerSql = """
        CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
        WHEN NOT (
            NEW.data = '' AND OLD.data <> ''
            AND NEW.sequence IS OLD.sequence AND NEW.entry_id IS OLD.entry_id AND NEW.timestamp IS OLD.timestamp
            AND NEW.action IS OLD.action AND NEW.actor IS OLD.actor AND NEW.resource_type IS OLD.resource_type
            AND NEW.resource_id IS OLD.resource_id AND NEW.details IS OLD.details AND NEW.data_hash IS OLD.data_hash
            AND NEW.previous_hash IS OLD.previous_hash AND NEW.entry_hash IS OLD.entry_hash
            AND OLD.action NOT IN ('ROLLBACK', 'ERASURE')
            AND EXISTS (SELECT 1 FROM audit_entries e
                        WHERE e.action = 'ERASURE' AND e.sequence > OLD.sequence
                          AND substr(e.data, 1, length('{"erased_sequence":' || OLD.sequence || ',"erased_entry_hash":"' || OLD.entry_hash || '",'))
                              = '{"erased_sequence":' || OLD.sequence || ',"erased_entry_hash":"' || OLD.entry_hash || '",'))
        BEGIN
            SELECT RAISE(ABORT, 'audit_entries is append-only: UPDATE is not allowed (only an erasure recorded by an ERASURE entry may blank an entry''s data)');
        END;
        """;

    /// <summary>The update guard before erasure existed: every UPDATE refused.</summary>
    public const string SqliteNoUpdateTriggerSql =
        "CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries " +
        "BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only: UPDATE is not allowed'); END;";

    /// <summary>A chain entry (sequence 1 and up) by entry hash, through the unique prefix index.</summary>
    public static string HashLookup(string parameter) =>
        $"sequence >= 1 AND substr(entry_hash, 1, 16) = substr({parameter}, 1, 16) AND entry_hash = {parameter}";
}
