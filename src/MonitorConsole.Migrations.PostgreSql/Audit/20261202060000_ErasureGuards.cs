using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using MonitorConsole.Audit.Storage;

#nullable disable

namespace MonitorConsole.Migrations.PostgreSql.Audit
{
    /// <summary>
    /// The update guard on audit_entries lets one change through: an UPDATE that sets data to the empty text and
    /// changes nothing else, of an entry that is not a ROLLBACK or ERASURE entry, still has its data, and is named (by
    /// sequence and entry hash, at the opening of its data) by a later ERASURE entry. DELETE and TRUNCATE stay refused;
    /// audit_checkpoints keeps the plain guard. Schema-only, so no designer snapshot.
    /// </summary>
    [DbContext(typeof(AuditDbContext))]
    [Migration("20261202060000_ErasureGuards")]
    public partial class ErasureGuards : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // hand-written: the erasure-only update guard
            migrationBuilder.Sql("""
                CREATE FUNCTION monitorconsole_entries_erasure_only() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                    opening text;
                BEGIN
                    IF TG_OP = 'UPDATE' THEN
                        opening := '{"erased_sequence":' || OLD.sequence || ',"erased_entry_hash":"' || OLD.entry_hash || '",';
                        IF NEW.data = '' AND OLD.data <> ''
                           AND (NEW.sequence, NEW.entry_id, NEW.timestamp, NEW.action, NEW.actor, NEW.resource_type, NEW.resource_id,
                                NEW.details, NEW.data_hash, NEW.previous_hash, NEW.entry_hash)
                               IS NOT DISTINCT FROM
                               (OLD.sequence, OLD.entry_id, OLD.timestamp, OLD.action, OLD.actor, OLD.resource_type, OLD.resource_id,
                                OLD.details, OLD.data_hash, OLD.previous_hash, OLD.entry_hash)
                           AND OLD.action NOT IN ('ROLLBACK', 'ERASURE')
                           AND EXISTS (SELECT 1 FROM audit_entries e
                                       WHERE e.action = 'ERASURE' AND e.sequence > OLD.sequence
                                         AND left(e.data, length(opening)) = opening)
                        THEN
                            RETURN NEW;
                        END IF;
                    END IF;
                    RAISE EXCEPTION '% is append-only: % is not allowed (only an erasure recorded by an ERASURE entry may blank an entry''s data)', TG_TABLE_NAME, TG_OP;
                END $$;
                """);
            migrationBuilder.Sql("DROP TRIGGER audit_entries_no_change ON audit_entries;");
            migrationBuilder.Sql("CREATE TRIGGER audit_entries_no_change BEFORE UPDATE OR DELETE ON audit_entries FOR EACH ROW EXECUTE FUNCTION monitorconsole_entries_erasure_only();");
            migrationBuilder.Sql("ALTER TABLE audit_entries ENABLE ALWAYS TRIGGER audit_entries_no_change;");
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS audit_entries_no_change ON audit_entries;");
            migrationBuilder.Sql("CREATE TRIGGER audit_entries_no_change BEFORE UPDATE OR DELETE ON audit_entries FOR EACH ROW EXECUTE FUNCTION monitorconsole_append_only();");
            migrationBuilder.Sql("ALTER TABLE audit_entries ENABLE ALWAYS TRIGGER audit_entries_no_change;");
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS monitorconsole_entries_erasure_only();");
        }
    }
}
