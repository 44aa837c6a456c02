using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MonitorConsole.Audit.Storage.Migrations
{
    /// <summary>
    /// RFC 3161 time anchors on checkpoints: the token (DER), its genTime, and why the last request failed. The
    /// checkpoints table stays append-only except for these columns, which may be written while no token is stored
    /// (anchoring later); once a token is stored the row is frozen (the update guard below).
    /// </summary>
    public partial class AnchorsCheckpointTimestamps : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "anchor_problem",
                table: "audit_checkpoints",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "anchored_at",
                table: "audit_checkpoints",
                type: "TEXT",
                maxLength: 27,
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "timestamp_token",
                table: "audit_checkpoints",
                type: "BLOB",
                nullable: true);

            // hand-written: the update guard now lets a checkpoint without a token get one (and nothing else).
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS audit_checkpoints_no_update;");
            migrationBuilder.Sql(AuditSchema.SqliteCheckpointAnchorOnceTriggerSql);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // hand-written: back to refusing every update.
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS audit_checkpoints_no_update;");
            migrationBuilder.Sql("CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints " +
                "BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only: UPDATE is not allowed'); END;");

            migrationBuilder.DropColumn(
                name: "anchor_problem",
                table: "audit_checkpoints");

            migrationBuilder.DropColumn(
                name: "anchored_at",
                table: "audit_checkpoints");

            migrationBuilder.DropColumn(
                name: "timestamp_token",
                table: "audit_checkpoints");
        }
    }
}
