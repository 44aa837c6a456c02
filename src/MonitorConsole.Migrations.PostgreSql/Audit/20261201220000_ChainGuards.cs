using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using MonitorConsole.Audit.Storage;

#nullable disable

namespace MonitorConsole.Migrations.PostgreSql.Audit
{
    /// <summary>
    /// The database refuses rows that do not continue the chain: below sequence 1 (a check constraint, NOT VALID so an
    /// existing database migrates and verification reports any old planted row), a row not linked to the row before it
    /// by sequence and hash, or dated before it; an entry_hash already in the chain (the hash index made unique). One
    /// check per statement over its new rows (a transition table), so a COPY of 50,000 rows is checked by one
    /// set-based query rather than 50,000 trigger calls. ENABLE ALWAYS keeps it on under session_replication_role =
    /// replica.
    /// </summary>
    [DbContext(typeof(AuditDbContext))]
    [Migration("20261201220000_ChainGuards")]
    public partial class ChainGuards : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE audit_entries ADD CONSTRAINT ck_audit_entries_sequence_positive CHECK (sequence >= 1) NOT VALID;");
            migrationBuilder.Sql("DROP INDEX ix_audit_entries_entry_hash_prefix;");
            migrationBuilder.Sql(AuditSchema.UniqueHashPrefixIndexSql);
            migrationBuilder.Sql("""
                CREATE FUNCTION monitorconsole_continue_head() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                    bad bigint;
                BEGIN
                    SELECT n.sequence INTO bad
                    FROM new_rows n LEFT JOIN audit_entries p ON p.sequence = n.sequence - 1
                    WHERE n.sequence < 1
                       OR (n.sequence = 1 AND n.previous_hash <> '0000000000000000000000000000000000000000000000000000000000000000')
                       OR (n.sequence > 1 AND (p.sequence IS NULL OR p.entry_hash <> n.previous_hash
                                               OR p.timestamp COLLATE "C" > n.timestamp COLLATE "C"))
                    LIMIT 1;
                    IF bad IS NOT NULL THEN
                        RAISE EXCEPTION 'audit_entries: entry % does not continue the chain (sequence = head + 1, previous_hash = the head''s entry_hash, timestamp not before the head''s)', bad;
                    END IF;
                    RETURN NULL;
                END $$;
                """);
            migrationBuilder.Sql("CREATE TRIGGER audit_entries_continue_head AFTER INSERT ON audit_entries REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION monitorconsole_continue_head();");
            migrationBuilder.Sql("ALTER TABLE audit_entries ENABLE ALWAYS TRIGGER audit_entries_continue_head;");
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS audit_entries_continue_head ON audit_entries;");
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS monitorconsole_continue_head();");
            migrationBuilder.Sql("DROP INDEX IF EXISTS ux_audit_entries_entry_hash_prefix;");
            migrationBuilder.Sql(AuditSchema.HashPrefixIndexSql);
            migrationBuilder.Sql("ALTER TABLE audit_entries DROP CONSTRAINT IF EXISTS ck_audit_entries_sequence_positive;");
        }
    }
}
