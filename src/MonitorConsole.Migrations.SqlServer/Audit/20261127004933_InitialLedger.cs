using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MonitorConsole.Migrations.SqlServer.Audit
{
    /// <inheritdoc />
    public partial class InitialLedger : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "audit_checkpoints",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    checkpoint = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    tree_size = table.Column<long>(type: "bigint", nullable: false),
                    timestamp = table.Column<string>(type: "nvarchar(27)", maxLength: 27, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_checkpoints", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "audit_entries",
                columns: table => new
                {
                    sequence = table.Column<long>(type: "bigint", nullable: false),
                    entry_id = table.Column<string>(type: "nvarchar(36)", maxLength: 36, nullable: false),
                    timestamp = table.Column<string>(type: "nvarchar(27)", maxLength: 27, nullable: false),
                    action = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false),
                    actor = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false),
                    resource_type = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false),
                    resource_id = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    data = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    details = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    data_hash = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    previous_hash = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    entry_hash = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false)
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

            // Hash lookups: SQL Server indexes a computed column where the others index an expression.
            migrationBuilder.Sql("ALTER TABLE audit_entries ADD entry_hash_prefix AS CAST(LEFT(entry_hash, 16) AS char(16)) PERSISTED;");
            migrationBuilder.Sql("CREATE INDEX ix_audit_entries_entry_hash_prefix ON audit_entries (entry_hash_prefix);");

            // Append-only in the database itself. Triggers refuse UPDATE and DELETE; TRUNCATE fires no trigger on SQL
            // Server, so an (always empty) table referencing each one makes TRUNCATE fail instead.
            foreach (var (table, key) in new[] { ("audit_entries", "sequence"), ("audit_checkpoints", "id") })
            {
                migrationBuilder.Sql($"""
                    CREATE TRIGGER {table}_append_only ON {table} INSTEAD OF UPDATE, DELETE AS
                    BEGIN
                        THROW 51000, '{table} is append-only: UPDATE and DELETE are not allowed', 1;
                    END
                    """);
                migrationBuilder.Sql($"CREATE TABLE {table}_truncate_guard (ref bigint NULL REFERENCES {table} ({key}));");
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in new[] { "audit_entries", "audit_checkpoints" })
            {
                migrationBuilder.Sql($"DROP TABLE IF EXISTS {table}_truncate_guard;");
                migrationBuilder.Sql($"DROP TRIGGER IF EXISTS {table}_append_only;");
            }
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_audit_entries_entry_hash_prefix ON audit_entries;");
            migrationBuilder.DropTable(
                name: "audit_checkpoints");

            migrationBuilder.DropTable(
                name: "audit_entries");
        }
    }
}
