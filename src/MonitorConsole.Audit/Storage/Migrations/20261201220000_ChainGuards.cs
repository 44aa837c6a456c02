using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MonitorConsole.Audit.Storage.Migrations
{
    /// <summary>
    /// The database refuses a row that does not continue the chain: below sequence 1, not the head's successor, not
    /// linked to the head, dated before it, or repeating an entry_hash. Schema-only (no model change), so it has no
    /// designer snapshot of its own.
    /// </summary>
    [DbContext(typeof(AuditDbContext))]
    [Migration("20261201220000_ChainGuards")]
    public partial class ChainGuards : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(AuditSchema.SqliteContinueHeadTriggerSql);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS audit_entries_continue_head;");
        }
    }
}
