using System;
using Microsoft.EntityFrameworkCore.Migrations;
using MySql.EntityFrameworkCore.Metadata;

#nullable disable

namespace MonitorConsole.Migrations.MySql.Monitoring
{
    /// <inheritdoc />
    public partial class InitialMonitoring : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterDatabase()
                .Annotation("MySQL:Charset", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "drift_baselines",
                columns: table => new
                {
                    ModelId = table.Column<string>(type: "varchar(255)", nullable: false),
                    Csv = table.Column<string>(type: "longtext", nullable: false),
                    Rows = table.Column<int>(type: "int", nullable: false),
                    ColumnsJson = table.Column<string>(type: "longtext", nullable: false),
                    UploadedAt = table.Column<DateTime>(type: "datetime(6)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_drift_baselines", x => x.ModelId);
                })
                .Annotation("MySQL:Charset", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "drift_models",
                columns: table => new
                {
                    ModelId = table.Column<string>(type: "varchar(128)", maxLength: 128, nullable: false),
                    ModelVersion = table.Column<string>(type: "longtext", nullable: false),
                    Schedule = table.Column<string>(type: "varchar(16)", maxLength: 16, nullable: false),
                    Cron = table.Column<string>(type: "longtext", nullable: true),
                    TimeZone = table.Column<string>(type: "longtext", nullable: false),
                    ThresholdsJson = table.Column<string>(type: "longtext", nullable: false),
                    FeaturesJson = table.Column<string>(type: "longtext", nullable: false),
                    CategoricalJson = table.Column<string>(type: "longtext", nullable: false),
                    OutputColumn = table.Column<string>(type: "longtext", nullable: true),
                    WebhooksJson = table.Column<string>(type: "longtext", nullable: false),
                    Enabled = table.Column<bool>(type: "tinyint(1)", nullable: false),
                    TrailingWindowHours = table.Column<double>(type: "double", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "datetime(6)", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "datetime(6)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_drift_models", x => x.ModelId);
                })
                .Annotation("MySQL:Charset", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "drift_observations",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("MySQL:ValueGenerationStrategy", MySQLValueGenerationStrategy.IdentityColumn),
                    ModelId = table.Column<string>(type: "varchar(255)", nullable: false),
                    ReceivedAt = table.Column<DateTime>(type: "datetime(6)", nullable: false),
                    Kind = table.Column<string>(type: "longtext", nullable: false),
                    Count = table.Column<int>(type: "int", nullable: false),
                    PayloadJson = table.Column<string>(type: "longtext", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_drift_observations", x => x.Id);
                })
                .Annotation("MySQL:Charset", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "drift_run_features",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("MySQL:ValueGenerationStrategy", MySQLValueGenerationStrategy.IdentityColumn),
                    CheckId = table.Column<string>(type: "varchar(255)", nullable: false),
                    ModelId = table.Column<string>(type: "varchar(255)", nullable: false),
                    Timestamp = table.Column<DateTime>(type: "datetime(6)", nullable: false),
                    Feature = table.Column<string>(type: "varchar(255)", nullable: false),
                    Kind = table.Column<string>(type: "longtext", nullable: false),
                    Psi = table.Column<double>(type: "double", nullable: false),
                    Kl = table.Column<double>(type: "double", nullable: false),
                    Js = table.Column<double>(type: "double", nullable: false),
                    Wasserstein = table.Column<double>(type: "double", nullable: true),
                    KsStatistic = table.Column<double>(type: "double", nullable: true),
                    KsPValue = table.Column<double>(type: "double", nullable: true),
                    Chi2Statistic = table.Column<double>(type: "double", nullable: true),
                    Chi2PValue = table.Column<double>(type: "double", nullable: true),
                    AlertLevel = table.Column<string>(type: "longtext", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_drift_run_features", x => x.Id);
                })
                .Annotation("MySQL:Charset", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "drift_runs",
                columns: table => new
                {
                    CheckId = table.Column<string>(type: "varchar(255)", nullable: false),
                    ModelId = table.Column<string>(type: "varchar(255)", nullable: false),
                    ModelVersion = table.Column<string>(type: "longtext", nullable: false),
                    Timestamp = table.Column<DateTime>(type: "datetime(6)", nullable: false),
                    ScheduledFor = table.Column<DateTime>(type: "datetime(6)", nullable: true),
                    Trigger = table.Column<string>(type: "longtext", nullable: false),
                    Status = table.Column<string>(type: "varchar(16)", maxLength: 16, nullable: false),
                    DurationMs = table.Column<double>(type: "double", nullable: false),
                    AlertGenerated = table.Column<bool>(type: "tinyint(1)", nullable: false),
                    AlertLevel = table.Column<string>(type: "longtext", nullable: true),
                    MetricsJson = table.Column<string>(type: "longtext", nullable: false),
                    ErrorMessage = table.Column<string>(type: "longtext", nullable: true),
                    WebhookErrors = table.Column<string>(type: "longtext", nullable: true),
                    WindowStart = table.Column<DateTime>(type: "datetime(6)", nullable: true),
                    WindowEnd = table.Column<DateTime>(type: "datetime(6)", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_drift_runs", x => x.CheckId);
                })
                .Annotation("MySQL:Charset", "utf8mb4");

            migrationBuilder.CreateIndex(
                name: "IX_drift_observations_ModelId_ReceivedAt",
                table: "drift_observations",
                columns: new[] { "ModelId", "ReceivedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_drift_run_features_CheckId",
                table: "drift_run_features",
                column: "CheckId");

            migrationBuilder.CreateIndex(
                name: "IX_drift_run_features_ModelId_Feature_Timestamp",
                table: "drift_run_features",
                columns: new[] { "ModelId", "Feature", "Timestamp" });

            migrationBuilder.CreateIndex(
                name: "IX_drift_runs_ModelId_Timestamp",
                table: "drift_runs",
                columns: new[] { "ModelId", "Timestamp" });

            migrationBuilder.CreateIndex(
                name: "IX_drift_runs_Timestamp",
                table: "drift_runs",
                column: "Timestamp");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "drift_baselines");

            migrationBuilder.DropTable(
                name: "drift_models");

            migrationBuilder.DropTable(
                name: "drift_observations");

            migrationBuilder.DropTable(
                name: "drift_run_features");

            migrationBuilder.DropTable(
                name: "drift_runs");
        }
    }
}
