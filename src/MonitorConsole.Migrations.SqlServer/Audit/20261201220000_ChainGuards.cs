using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using MonitorConsole.Audit.Storage;

#nullable disable

namespace MonitorConsole.Migrations.SqlServer.Audit
{
    /// <summary>
    /// The database refuses rows that do not continue the chain: below sequence 1 (a check constraint, WITH NOCHECK so
    /// an existing database migrates and verification reports any old planted row), a row not linked to the row before
    /// it by sequence and hash, dated before it, or repeating an entry_hash — one set-based check per statement over
    /// its inserted rows. Hashes and timestamps compare in a binary collation (the default one ignores case).
    /// </summary>
    [DbContext(typeof(AuditDbContext))]
    [Migration("20261201220000_ChainGuards")]
    public partial class ChainGuards : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE audit_entries WITH NOCHECK ADD CONSTRAINT ck_audit_entries_sequence_positive CHECK (sequence >= 1);");
            migrationBuilder.Sql("""
                CREATE TRIGGER audit_entries_continue_head ON audit_entries AFTER INSERT AS
                BEGIN
                    SET NOCOUNT ON;
                    IF EXISTS (
                        SELECT 1 FROM inserted n LEFT JOIN audit_entries p ON p.sequence = n.sequence - 1
                        WHERE n.sequence < 1
                           OR (n.sequence = 1 AND n.previous_hash COLLATE Latin1_General_BIN2 <> REPLICATE('0', 64))
                           OR (n.sequence > 1 AND (p.sequence IS NULL
                                OR p.entry_hash COLLATE Latin1_General_BIN2 <> n.previous_hash COLLATE Latin1_General_BIN2
                                OR p.timestamp COLLATE Latin1_General_BIN2 > n.timestamp COLLATE Latin1_General_BIN2)))
                        THROW 51001, 'audit_entries: a new entry must continue the chain head (sequence = head + 1, previous_hash = the head''s entry_hash, timestamp not before the head''s)', 1;
                    IF EXISTS (
                        SELECT 1 FROM inserted n JOIN audit_entries e
                          ON e.entry_hash_prefix = CAST(LEFT(n.entry_hash, 16) AS char(16))
                         AND e.entry_hash COLLATE Latin1_General_BIN2 = n.entry_hash COLLATE Latin1_General_BIN2
                         AND e.sequence <> n.sequence)
                        THROW 51002, 'audit_entries: entry_hash is already in the ledger', 1;
                END
                """);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS audit_entries_continue_head;");
            migrationBuilder.Sql("ALTER TABLE audit_entries DROP CONSTRAINT IF EXISTS ck_audit_entries_sequence_positive;");
        }
    }
}
