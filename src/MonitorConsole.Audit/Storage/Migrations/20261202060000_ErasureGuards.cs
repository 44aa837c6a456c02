using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MonitorConsole.Audit.Storage.Migrations
{
    /// <summary>
    /// The update guard lets one change through: an erasure recorded by an ERASURE entry may blank an entry's data
    /// (<see cref="AuditSchema.SqliteErasureOnlyUpdateTriggerSql"/>). Schema-only (no model change), so it has no
    /// designer snapshot of its own.
    /// </summary>
    [DbContext(typeof(AuditDbContext))]
    [Migration("20261202060000_ErasureGuards")]
    public partial class ErasureGuards : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // hand-written: replace the update guard with the erasure-only one
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS audit_entries_no_update;");
            migrationBuilder.Sql(AuditSchema.SqliteErasureOnlyUpdateTriggerSql);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS audit_entries_no_update;");
            migrationBuilder.Sql(AuditSchema.SqliteNoUpdateTriggerSql);
        }
    }
}
