using MonitorConsole.Audit.Chain;
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
        e.Property(x => x.Action).HasColumnName("action").HasMaxLength(EntryPreparer.MaxNameLength).IsRequired();
        e.Property(x => x.Actor).HasColumnName("actor").HasMaxLength(EntryPreparer.MaxNameLength).IsRequired();
        e.Property(x => x.ResourceType).HasColumnName("resource_type").HasMaxLength(EntryPreparer.MaxNameLength).IsRequired();
        e.Property(x => x.ResourceId).HasColumnName("resource_id").HasMaxLength(EntryPreparer.MaxNameLength);
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

    public const string Columns =
        "sequence, entry_id, timestamp, action, actor, resource_type, resource_id, data, details, data_hash, previous_hash, entry_hash";

    /// <summary>
    /// Hashes are looked up through an index on their first 16 hex digits (64 bits): a full 64-character key in a
    /// random-order index costs appends about a third of their rate at 1,000,000 entries (docs/performance.md).
    /// </summary>
    public const string HashPrefixIndexSql =
        "CREATE INDEX ix_audit_entries_entry_hash_prefix ON audit_entries (substr(entry_hash, 1, 16));";

    public static string HashLookup(string parameter) =>
        $"substr(entry_hash, 1, 16) = substr({parameter}, 1, 16) AND entry_hash = {parameter}";
}
