using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MonitorConsole.Audit.Storage.Migrations
{
    /// <inheritdoc />
    public partial class Checkpoints : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "audit_checkpoints",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    checkpoint = table.Column<string>(type: "TEXT", nullable: false),
                    tree_size = table.Column<long>(type: "INTEGER", nullable: false),
                    timestamp = table.Column<string>(type: "TEXT", maxLength: 27, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_checkpoints", x => x.id);
                });

            // Checkpoints are evidence too: never changed or removed.
            migrationBuilder.Sql(
                "CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints " +
                "BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only: UPDATE is not allowed'); END;");
            migrationBuilder.Sql(
                "CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints " +
                "BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only: DELETE is not allowed'); END;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS audit_checkpoints_no_update;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS audit_checkpoints_no_delete;");
            migrationBuilder.DropTable(
                name: "audit_checkpoints");
        }
    }
}
