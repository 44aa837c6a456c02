using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using MonitorConsole.Audit.Storage;

#nullable disable

namespace MonitorConsole.Migrations.SqlServer.Audit
{
    /// <summary>
    /// The INSTEAD OF guard on audit_entries lets one change through, and makes it itself: setting data to the empty
    /// text of entries that are not ROLLBACK or ERASURE entries, still have their data, change nothing else, and are
    /// each named (by sequence and entry hash, at the opening of its data) by a later ERASURE entry. Everything else,
    /// and every DELETE, is refused. Text compares in a binary collation (the default one ignores case); DATALENGTH,
    /// not LEN or =, tells the empty text, since both ignore trailing spaces. An UPDATE run by an INSTEAD OF trigger on
    /// its own table does not fire it again. Schema-only, so no designer snapshot.
    /// </summary>
    [DbContext(typeof(AuditDbContext))]
    [Migration("20261202060000_ErasureGuards")]
    public partial class ErasureGuards : Migration
    {
        private const string Bin = "COLLATE Latin1_General_BIN2";

        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // hand-written: the erasure-only update guard
            migrationBuilder.Sql($$"""
                ALTER TRIGGER audit_entries_append_only ON audit_entries INSTEAD OF UPDATE, DELETE AS
                BEGIN
                    SET NOCOUNT ON;
                    IF NOT EXISTS (SELECT 1 FROM deleted) RETURN;
                    IF NOT EXISTS (SELECT 1 FROM inserted)
                        THROW 51000, 'audit_entries is append-only: UPDATE and DELETE are not allowed', 1;
                    IF (SELECT COUNT(*) FROM inserted) <> (SELECT COUNT(*) FROM deleted)
                       OR EXISTS (
                        SELECT 1 FROM deleted d LEFT JOIN inserted i ON i.sequence = d.sequence
                        WHERE i.sequence IS NULL
                           OR DATALENGTH(i.data) <> 0 OR DATALENGTH(d.data) = 0
                           OR d.action {{Bin}} IN (N'ROLLBACK', N'ERASURE')
                           OR EXISTS (SELECT i.entry_id {{Bin}}, i.timestamp {{Bin}}, i.action {{Bin}}, i.actor {{Bin}}, i.resource_type {{Bin}},
                                             i.resource_id {{Bin}}, i.details {{Bin}}, i.data_hash {{Bin}}, i.previous_hash {{Bin}}, i.entry_hash {{Bin}}
                                      EXCEPT
                                      SELECT d.entry_id {{Bin}}, d.timestamp {{Bin}}, d.action {{Bin}}, d.actor {{Bin}}, d.resource_type {{Bin}},
                                             d.resource_id {{Bin}}, d.details {{Bin}}, d.data_hash {{Bin}}, d.previous_hash {{Bin}}, d.entry_hash {{Bin}})
                           OR NOT EXISTS (
                               SELECT 1 FROM audit_entries e
                               WHERE e.action {{Bin}} = N'ERASURE' AND e.sequence > d.sequence
                                 AND LEFT(e.data, DATALENGTH(CONCAT(N'{"erased_sequence":', d.sequence, N',"erased_entry_hash":"', d.entry_hash, N'",')) / 2) {{Bin}}
                                     = CONCAT(N'{"erased_sequence":', d.sequence, N',"erased_entry_hash":"', d.entry_hash, N'",') {{Bin}}))
                        THROW 51000, 'audit_entries is append-only: UPDATE and DELETE are not allowed (only an erasure recorded by an ERASURE entry may blank an entry''s data)', 1;
                    UPDATE e SET data = N'' FROM audit_entries e JOIN inserted i ON i.sequence = e.sequence;
                END
                """);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                ALTER TRIGGER audit_entries_append_only ON audit_entries INSTEAD OF UPDATE, DELETE AS
                BEGIN
                    THROW 51000, 'audit_entries is append-only: UPDATE and DELETE are not allowed', 1;
                END
                """);
        }
    }
}
