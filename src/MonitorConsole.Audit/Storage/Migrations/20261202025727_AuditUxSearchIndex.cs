using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MonitorConsole.Audit.Storage.Migrations
{
    /// <inheritdoc />
    public partial class AuditUxSearchIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "audit_search_progress",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false),
                    indexed_through = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_search_progress", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "audit_search_tokens",
                columns: table => new
                {
                    token = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    sequence = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_search_tokens", x => new { x.token, x.sequence });
                });

            migrationBuilder.CreateTable(
                name: "audit_search_values",
                columns: table => new
                {
                    field = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    value = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    value_lower = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_search_values", x => new { x.field, x.value });
                });

            migrationBuilder.InsertData(
                table: "audit_search_progress",
                columns: new[] { "id", "indexed_through" },
                values: new object[] { 1, 0L });

            migrationBuilder.CreateIndex(
                name: "ix_audit_search_values_lower",
                table: "audit_search_values",
                columns: new[] { "field", "value_lower" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "audit_search_progress");

            migrationBuilder.DropTable(
                name: "audit_search_tokens");

            migrationBuilder.DropTable(
                name: "audit_search_values");
        }
    }
}
