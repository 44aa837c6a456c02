using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MonitorConsole.Migrations.PostgreSql.Audit
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
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "anchored_at",
                table: "audit_checkpoints",
                type: "character varying(27)",
                maxLength: 27,
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "timestamp_token",
                table: "audit_checkpoints",
                type: "bytea",
                nullable: true);

            // hand-written: the checkpoints' guard refuses DELETE as before, and an UPDATE unless it only sets the
            // anchor columns of a row that has no token yet. ENABLE ALWAYS as for the other guards.
            migrationBuilder.Sql("""
                CREATE FUNCTION monitorconsole_checkpoint_anchor_once() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'DELETE' OR OLD.timestamp_token IS NOT NULL OR NEW.id IS DISTINCT FROM OLD.id
                       OR NEW.checkpoint IS DISTINCT FROM OLD.checkpoint OR NEW.tree_size IS DISTINCT FROM OLD.tree_size
                       OR NEW.timestamp IS DISTINCT FROM OLD.timestamp THEN
                        RAISE EXCEPTION 'audit_checkpoints is append-only: % is not allowed (only a checkpoint without a timestamp token may get one)', TG_OP;
                    END IF;
                    RETURN NEW;
                END $$;
                """);
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS audit_checkpoints_no_change ON audit_checkpoints;");
            migrationBuilder.Sql("CREATE TRIGGER audit_checkpoints_no_change BEFORE UPDATE OR DELETE ON audit_checkpoints FOR EACH ROW EXECUTE FUNCTION monitorconsole_checkpoint_anchor_once();");
            migrationBuilder.Sql("ALTER TABLE audit_checkpoints ENABLE ALWAYS TRIGGER audit_checkpoints_no_change;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // hand-written: back to refusing every update.
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS audit_checkpoints_no_change ON audit_checkpoints;");
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS monitorconsole_checkpoint_anchor_once();");
            migrationBuilder.Sql("CREATE TRIGGER audit_checkpoints_no_change BEFORE UPDATE OR DELETE ON audit_checkpoints FOR EACH ROW EXECUTE FUNCTION monitorconsole_append_only();");
            migrationBuilder.Sql("ALTER TABLE audit_checkpoints ENABLE ALWAYS TRIGGER audit_checkpoints_no_change;");

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
