using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MonitorConsole.Monitoring.Storage.Migrations
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CheckId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ModelId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Timestamp = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Feature = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    AlertLevel = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    DistributionJson = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_drift_run_feature_results", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "drift_run_metrics",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CheckId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ModelId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Timestamp = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Feature = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    Metric = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Value = table.Column<double>(type: "REAL", nullable: false)
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
            foreach (var sql in MonitorConsole.Monitoring.Storage.ResultsMigrationSql.CopyFeatureRows(name => $"\"{name}\""))
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AlertLevel = table.Column<string>(type: "TEXT", nullable: false),
                    CheckId = table.Column<string>(type: "TEXT", nullable: false),
                    Chi2PValue = table.Column<double>(type: "REAL", nullable: true),
                    Chi2Statistic = table.Column<double>(type: "REAL", nullable: true),
                    Feature = table.Column<string>(type: "TEXT", nullable: false),
                    Js = table.Column<double>(type: "REAL", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", nullable: false),
                    Kl = table.Column<double>(type: "REAL", nullable: false),
                    KsPValue = table.Column<double>(type: "REAL", nullable: true),
                    KsStatistic = table.Column<double>(type: "REAL", nullable: true),
                    ModelId = table.Column<string>(type: "TEXT", nullable: false),
                    Psi = table.Column<double>(type: "REAL", nullable: false),
                    Timestamp = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Wasserstein = table.Column<double>(type: "REAL", nullable: true)
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
