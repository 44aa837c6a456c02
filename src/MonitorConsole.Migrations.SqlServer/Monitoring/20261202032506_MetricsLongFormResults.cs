using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MonitorConsole.Migrations.SqlServer.Monitoring
{
    /// <inheritdoc />
    public partial class MetricsLongFormResults : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "drift_run_feature_results",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    CheckId = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    ModelId = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: false),
                    Timestamp = table.Column<DateTime>(type: "datetime2", nullable: false),
                    Feature = table.Column<string>(type: "nvarchar(255)", maxLength: 255, nullable: false),
                    Kind = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    AlertLevel = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    DistributionJson = table.Column<string>(type: "nvarchar(max)", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_drift_run_feature_results", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "drift_run_metrics",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    CheckId = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    ModelId = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: false),
                    Timestamp = table.Column<DateTime>(type: "datetime2", nullable: false),
                    Feature = table.Column<string>(type: "nvarchar(255)", maxLength: 255, nullable: false),
                    Metric = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Value = table.Column<double>(type: "float", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_drift_run_metrics", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_drift_run_feature_results_CheckId",
                table: "drift_run_feature_results",
                column: "CheckId");

            migrationBuilder.CreateIndex(
                name: "IX_drift_run_feature_results_ModelId_Timestamp",
                table: "drift_run_feature_results",
                columns: new[] { "ModelId", "Timestamp" });

            migrationBuilder.CreateIndex(
                name: "IX_drift_run_metrics_CheckId",
                table: "drift_run_metrics",
                column: "CheckId");

            migrationBuilder.CreateIndex(
                name: "IX_drift_run_metrics_ModelId_Metric_Feature_Timestamp",
                table: "drift_run_metrics",
                columns: new[] { "ModelId", "Metric", "Feature", "Timestamp" });

            // hand-written: earlier runs' wide rows copied into the long-form tables before the old table goes.
            foreach (var sql in MonitorConsole.Monitoring.Storage.ResultsMigrationSql.CopyFeatureRows(name => $"[{name}]"))
                migrationBuilder.Sql(sql);

            migrationBuilder.DropTable(
                name: "drift_run_features");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "drift_run_feature_results");

            migrationBuilder.DropTable(
                name: "drift_run_metrics");

            migrationBuilder.CreateTable(
                name: "drift_run_features",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    AlertLevel = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    CheckId = table.Column<string>(type: "nvarchar(450)", nullable: false),
                    Chi2PValue = table.Column<double>(type: "float", nullable: true),
                    Chi2Statistic = table.Column<double>(type: "float", nullable: true),
                    Feature = table.Column<string>(type: "nvarchar(450)", nullable: false),
                    Js = table.Column<double>(type: "float", nullable: false),
                    Kind = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    Kl = table.Column<double>(type: "float", nullable: false),
                    KsPValue = table.Column<double>(type: "float", nullable: true),
                    KsStatistic = table.Column<double>(type: "float", nullable: true),
                    ModelId = table.Column<string>(type: "nvarchar(450)", nullable: false),
                    Psi = table.Column<double>(type: "float", nullable: false),
                    Timestamp = table.Column<DateTime>(type: "datetime2", nullable: false),
                    Wasserstein = table.Column<double>(type: "float", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_drift_run_features", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_drift_run_features_CheckId",
                table: "drift_run_features",
                column: "CheckId");

            migrationBuilder.CreateIndex(
                name: "IX_drift_run_features_ModelId_Feature_Timestamp",
                table: "drift_run_features",
                columns: new[] { "ModelId", "Feature", "Timestamp" });
        }
    }
}
