using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MonitorConsole.Audit.Storage.Migrations
{
    /// <inheritdoc />
    public partial class InitialLedger : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "audit_entries",
                columns: table => new
                {
                    sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    entry_id = table.Column<string>(type: "TEXT", maxLength: 36, nullable: false),
                    timestamp = table.Column<string>(type: "TEXT", maxLength: 27, nullable: false),
                    action = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    actor = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    resource_type = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    resource_id = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    data = table.Column<string>(type: "TEXT", nullable: false),
                    details = table.Column<string>(type: "TEXT", nullable: true),
                    data_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    previous_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    entry_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_entries", x => x.sequence);
                });

            migrationBuilder.CreateIndex(
                name: "ix_audit_entries_action",
                table: "audit_entries",
                columns: new[] { "action", "sequence" });

            migrationBuilder.CreateIndex(
                name: "ix_audit_entries_actor",
                table: "audit_entries",
                columns: new[] { "actor", "sequence" });

            migrationBuilder.CreateIndex(
                name: "ix_audit_entries_resource",
                table: "audit_entries",
                columns: new[] { "resource_id", "sequence" });

            migrationBuilder.CreateIndex(
                name: "ux_audit_entries_entry_id",
                table: "audit_entries",
                column: "entry_id",
                unique: true);

            migrationBuilder.Sql(AuditSchema.HashPrefixIndexSql);

            // Append-only in the database itself: nothing in the app ever updates or deletes an entry.
            migrationBuilder.Sql(
                "CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries " +
                "BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only: UPDATE is not allowed'); END;");
            migrationBuilder.Sql(
                "CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries " +
                "BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only: DELETE is not allowed'); END;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS audit_entries_no_update;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS audit_entries_no_delete;");
            migrationBuilder.DropTable(
                name: "audit_entries");
        }
    }
}
