using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NeoWorker.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class IdempotencyKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "idempotency_key",
                schema: "neoworker",
                table: "jobs",
                type: "character varying(128)",
                maxLength: 128,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "request_sha256",
                schema: "neoworker",
                table: "jobs",
                type: "character(64)",
                fixedLength: true,
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_jobs_user_id_idempotency_key",
                schema: "neoworker",
                table: "jobs",
                columns: new[] { "user_id", "idempotency_key" },
                unique: true,
                filter: "idempotency_key IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_jobs_user_id_idempotency_key",
                schema: "neoworker",
                table: "jobs");

            migrationBuilder.DropColumn(
                name: "idempotency_key",
                schema: "neoworker",
                table: "jobs");

            migrationBuilder.DropColumn(
                name: "request_sha256",
                schema: "neoworker",
                table: "jobs");
        }
    }
}
