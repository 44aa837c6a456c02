using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using MonitorConsole.Audit.Storage;

#nullable disable

namespace MonitorConsole.Migrations.SqlServer.Audit
{
    /// <summary>
    /// Verification, exports and statistics read one consistent snapshot while appends carry on. SQL Server gives
    /// that under SNAPSHOT isolation, which the database must allow; REPEATABLE READ would instead hold a shared lock
    /// on every row read, escalate to the table and stop appends for the length of a verification. ALTER DATABASE
    /// cannot run inside a transaction, and it needs ALTER permission on the database.
    /// </summary>
    [DbContext(typeof(AuditDbContext))]
    [Migration("20261202010000_SnapshotReads")]
    public partial class SnapshotReads : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER DATABASE CURRENT SET ALLOW_SNAPSHOT_ISOLATION ON;", suppressTransaction: true);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER DATABASE CURRENT SET ALLOW_SNAPSHOT_ISOLATION OFF;", suppressTransaction: true);
        }
    }
}
