using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MonitorConsole.Audit.Storage.Migrations
{
    /// <summary>
    /// The database refuses a row that does not continue the chain: below sequence 1, not the head's successor, not
    /// linked to the head, or dated before it (a trigger), or repeating an entry_hash (the hash index made unique). Schema-only (no model change), so it has no
    /// designer snapshot of its own.
    /// </summary>
    [DbContext(typeof(AuditDbContext))]
    [Migration("20261201220000_ChainGuards")]
    public partial class ChainGuards : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX ix_audit_entries_entry_hash_prefix;");
            migrationBuilder.Sql(AuditSchema.UniqueHashPrefixIndexSql);
            migrationBuilder.Sql(AuditSchema.SqliteContinueHeadTriggerSql);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS audit_entries_continue_head;");
            migrationBuilder.Sql("DROP INDEX IF EXISTS ux_audit_entries_entry_hash_prefix;");
            migrationBuilder.Sql(AuditSchema.HashPrefixIndexSql);
        }
    }
}
