using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using MonitorConsole.Audit.Storage;

#nullable disable

namespace MonitorConsole.Migrations.MySql.Audit
{
    /// <summary>
    /// The update guard on audit_entries lets one change through: the erasure of an entry's data recorded by an
    /// ERASURE entry (<see cref="MySqlLedgerGuards.ErasureOnlyUpdate"/>). Schema-only, so no designer snapshot.
    /// </summary>
    [DbContext(typeof(AuditDbContext))]
    [Migration("20261202060000_ErasureGuards")]
    public partial class ErasureGuards : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // hand-written: replace the update guard with the erasure-only one
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS audit_entries_no_update;");
            migrationBuilder.Sql(MySqlLedgerGuards.ErasureOnlyUpdate);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS audit_entries_no_update;");
            migrationBuilder.Sql(MySqlLedgerGuards.NoChange("audit_entries", "UPDATE"));
        }
    }
}
