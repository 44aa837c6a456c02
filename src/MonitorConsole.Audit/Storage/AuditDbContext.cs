using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace MonitorConsole.Audit.Storage;

public sealed class AuditDbContext(DbContextOptions<AuditDbContext> options) : DbContext(options)
{
    public DbSet<AuditEntry> Entries => Set<AuditEntry>();

    public DbSet<Checkpoints.StoredCheckpoint> Checkpoints => Set<Checkpoints.StoredCheckpoint>();

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
    }
}

public static class AuditSchema
{
    public const string Table = "audit_entries";

    /// <summary>Longest action, actor, resource type or resource id, in characters.</summary>
    public const int MaxNameLength = 256;

    public const string Columns =
        "sequence, entry_id, timestamp, action, actor, resource_type, resource_id, data, details, data_hash, previous_hash, entry_hash";

    /// <summary>
    /// Hashes are looked up through an index on their first 16 hex digits (64 bits): a full 64-character key in a
    /// random-order index costs appends about a third of their rate at 1,000,000 entries (docs/performance.md).
    /// </summary>
    public const string HashPrefixIndexSql =
        "CREATE INDEX ix_audit_entries_entry_hash_prefix ON audit_entries (substr(entry_hash, 1, 16));";

    /// <summary>
    /// An insert must continue the chain: sequence = head + 1 (1 for the first), previous_hash = the head's entry_hash
    /// (64 zeros for the first), a timestamp not before the head's, and an entry_hash no other row has. The head is the
    /// last row of the primary key and the hash check one probe of the prefix index, so it costs an append a few
    /// microseconds (docs/performance.md). The append path never trips it; raw SQL that plants, backdates or forks does.
    /// </summary>
    public const string SqliteContinueHeadTriggerSql = """
        CREATE TRIGGER audit_entries_continue_head BEFORE INSERT ON audit_entries
        BEGIN
            SELECT RAISE(ABORT, 'audit_entries: a new entry must continue the chain head (sequence = head + 1, previous_hash = the head''s entry_hash, timestamp not before the head''s)')
            FROM (SELECT 1) LEFT JOIN (SELECT sequence AS s, entry_hash AS h, timestamp AS t FROM audit_entries ORDER BY sequence DESC LIMIT 1) AS head ON 1
            WHERE NEW.sequence < 1
               OR NEW.sequence <> COALESCE(head.s, 0) + 1
               OR NEW.previous_hash IS NOT COALESCE(head.h, '0000000000000000000000000000000000000000000000000000000000000000')
               OR NEW.timestamp < COALESCE(head.t, '');
            SELECT RAISE(ABORT, 'audit_entries: entry_hash is already in the ledger')
            WHERE EXISTS (SELECT 1 FROM audit_entries WHERE substr(entry_hash, 1, 16) = substr(NEW.entry_hash, 1, 16) AND entry_hash = NEW.entry_hash);
        END;
        """;

    public static string HashLookup(string parameter) =>
        $"substr(entry_hash, 1, 16) = substr({parameter}, 1, 16) AND entry_hash = {parameter}";
}
