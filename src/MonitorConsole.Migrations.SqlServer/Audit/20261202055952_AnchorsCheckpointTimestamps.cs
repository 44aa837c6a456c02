using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MonitorConsole.Migrations.SqlServer.Audit
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
                type: "nvarchar(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "anchored_at",
                table: "audit_checkpoints",
                type: "nvarchar(27)",
                maxLength: 27,
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "timestamp_token",
                table: "audit_checkpoints",
                type: "varbinary(max)",
                nullable: true);

            // hand-written: the INSTEAD OF trigger still refuses DELETE, and carries out an UPDATE only when it sets
            // nothing but the anchor columns of rows that have no token yet.
            migrationBuilder.Sql("""
                ALTER TRIGGER audit_checkpoints_append_only ON audit_checkpoints INSTEAD OF UPDATE, DELETE AS
                BEGIN
                    SET NOCOUNT ON;
                    IF NOT EXISTS (SELECT 1 FROM inserted) OR EXISTS (
                        SELECT 1 FROM deleted d LEFT JOIN inserted i ON i.id = d.id
                        WHERE i.id IS NULL OR d.timestamp_token IS NOT NULL OR i.[checkpoint] <> d.[checkpoint]
                           OR i.tree_size <> d.tree_size OR i.[timestamp] <> d.[timestamp])
                        THROW 51000, 'audit_checkpoints is append-only: UPDATE and DELETE are not allowed (only a checkpoint without a timestamp token may get one)', 1;
                    UPDATE c SET timestamp_token = i.timestamp_token, anchored_at = i.anchored_at, anchor_problem = i.anchor_problem
                    FROM audit_checkpoints c JOIN inserted i ON i.id = c.id;
                END
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // hand-written: back to refusing every update.
            migrationBuilder.Sql("""
                ALTER TRIGGER audit_checkpoints_append_only ON audit_checkpoints INSTEAD OF UPDATE, DELETE AS
                BEGIN
                    THROW 51000, 'audit_checkpoints is append-only: UPDATE and DELETE are not allowed', 1;
                END
                """);

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
