using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace MonitorConsole.Migrations.PostgreSql.Monitoring
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
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CheckId = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    ModelId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Timestamp = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Feature = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    AlertLevel = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    DistributionJson = table.Column<string>(type: "text", nullable: true)
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
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CheckId = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    ModelId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Timestamp = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Feature = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    Metric = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Value = table.Column<double>(type: "double precision", nullable: false)
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    AlertLevel = table.Column<string>(type: "text", nullable: false),
                    CheckId = table.Column<string>(type: "text", nullable: false),
                    Chi2PValue = table.Column<double>(type: "double precision", nullable: true),
                    Chi2Statistic = table.Column<double>(type: "double precision", nullable: true),
                    Feature = table.Column<string>(type: "text", nullable: false),
                    Js = table.Column<double>(type: "double precision", nullable: false),
                    Kind = table.Column<string>(type: "text", nullable: false),
                    Kl = table.Column<double>(type: "double precision", nullable: false),
                    KsPValue = table.Column<double>(type: "double precision", nullable: true),
                    KsStatistic = table.Column<double>(type: "double precision", nullable: true),
                    ModelId = table.Column<string>(type: "text", nullable: false),
                    Psi = table.Column<double>(type: "double precision", nullable: false),
                    Timestamp = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Wasserstein = table.Column<double>(type: "double precision", nullable: true)
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
