using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MonitorConsole.Migrations.SqlServer.Monitoring
{
    /// <inheritdoc />
    public partial class StoreCompactObservations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "ClaimedAt",
                table: "drift_observations",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ClaimedBy",
                table: "drift_observations",
                type: "nvarchar(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "drift_observation_columns",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    ObservationId = table.Column<long>(type: "bigint", nullable: false),
                    Position = table.Column<int>(type: "int", nullable: false),
                    Name = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false),
                    Kind = table.Column<int>(type: "int", nullable: false),
                    Count = table.Column<int>(type: "int", nullable: false),
                    Data = table.Column<byte[]>(type: "varbinary(max)", nullable: false),
                    LabelsJson = table.Column<string>(type: "nvarchar(max)", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_drift_observation_columns", x => x.Id);
                    table.ForeignKey(
                        name: "FK_drift_observation_columns_drift_observations_ObservationId",
                        column: x => x.ObservationId,
                        principalTable: "drift_observations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_drift_observations_ClaimedAt",
                table: "drift_observations",
                column: "ClaimedAt");

            migrationBuilder.CreateIndex(
                name: "IX_drift_observations_ModelId_ClaimedBy",
                table: "drift_observations",
                columns: new[] { "ModelId", "ClaimedBy" });

            migrationBuilder.CreateIndex(
                name: "IX_drift_observation_columns_ObservationId_Position",
                table: "drift_observation_columns",
                columns: new[] { "ObservationId", "Position" });

            // hand-written: observations that an earlier, completed run already covered (by its window end) count as
            // used, so the first run after the upgrade does not read them again; retention deletes them in time.
            migrationBuilder.Sql("UPDATE drift_observations SET [ClaimedBy] = 'legacy', [ClaimedAt] = [ReceivedAt] WHERE [ReceivedAt] <= (SELECT MAX(r.[WindowEnd]) FROM drift_runs r WHERE r.[ModelId] = drift_observations.[ModelId] AND r.[Status] = 'Completed')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "drift_observation_columns");

            migrationBuilder.DropIndex(
                name: "IX_drift_observations_ClaimedAt",
                table: "drift_observations");

            migrationBuilder.DropIndex(
                name: "IX_drift_observations_ModelId_ClaimedBy",
                table: "drift_observations");

            migrationBuilder.DropColumn(
                name: "ClaimedAt",
                table: "drift_observations");

            migrationBuilder.DropColumn(
                name: "ClaimedBy",
                table: "drift_observations");
        }
    }
}
