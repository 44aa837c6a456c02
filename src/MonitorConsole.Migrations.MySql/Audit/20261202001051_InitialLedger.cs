using Microsoft.EntityFrameworkCore.Migrations;
using MySql.EntityFrameworkCore.Metadata;

#nullable disable

namespace MonitorConsole.Migrations.MySql.Audit
{
    /// <inheritdoc />
    public partial class InitialLedger : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterDatabase()
                .Annotation("MySQL:Charset", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "audit_checkpoints",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("MySQL:ValueGenerationStrategy", MySQLValueGenerationStrategy.IdentityColumn),
                    checkpoint = table.Column<string>(type: "longtext", nullable: false),
                    tree_size = table.Column<long>(type: "bigint", nullable: false),
                    timestamp = table.Column<string>(type: "varchar(27)", maxLength: 27, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_checkpoints", x => x.id);
                })
                .Annotation("MySQL:Charset", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "audit_entries",
                columns: table => new
                {
                    sequence = table.Column<long>(type: "bigint", nullable: false),
                    entry_id = table.Column<string>(type: "varchar(36)", maxLength: 36, nullable: false),
                    timestamp = table.Column<string>(type: "varchar(27)", maxLength: 27, nullable: false),
                    action = table.Column<string>(type: "varchar(256)", maxLength: 256, nullable: false),
                    actor = table.Column<string>(type: "varchar(256)", maxLength: 256, nullable: false),
                    resource_type = table.Column<string>(type: "varchar(256)", maxLength: 256, nullable: false),
                    resource_id = table.Column<string>(type: "varchar(256)", maxLength: 256, nullable: true),
                    data = table.Column<string>(type: "longtext", nullable: false),
                    details = table.Column<string>(type: "longtext", nullable: true),
                    data_hash = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: false),
                    previous_hash = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: false),
                    entry_hash = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_entries", x => x.sequence);
                })
                .Annotation("MySQL:Charset", "utf8mb4");

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

            migrationBuilder.Sql(MySqlLedgerGuards.UniqueHashPrefixIndex);
            migrationBuilder.Sql(MySqlLedgerGuards.SequencePositive);
            foreach (var table in MySqlLedgerGuards.Tables)
            {
                migrationBuilder.Sql(MySqlLedgerGuards.NoChange(table, "UPDATE"));
                migrationBuilder.Sql(MySqlLedgerGuards.NoChange(table, "DELETE"));
            }
            migrationBuilder.Sql(MySqlLedgerGuards.ContinueHead);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS audit_entries_continue_head;");
            foreach (var table in MySqlLedgerGuards.Tables)
            {
                migrationBuilder.Sql($"DROP TRIGGER IF EXISTS {table}_no_update;");
                migrationBuilder.Sql($"DROP TRIGGER IF EXISTS {table}_no_delete;");
            }
            migrationBuilder.DropTable(
                name: "audit_checkpoints");

            migrationBuilder.DropTable(
                name: "audit_entries");
        }
    }
}
