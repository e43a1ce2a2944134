using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NeoWorker.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class NamedSecrets : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "sealed_named_secrets",
                schema: "neoworker",
                table: "jobs",
                type: "text",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "user_secrets",
                schema: "neoworker",
                columns: table => new
                {
                    user_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    sealed_value = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_user_secrets", x => new { x.user_id, x.name });
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "user_secrets",
                schema: "neoworker");

            migrationBuilder.DropColumn(
                name: "sealed_named_secrets",
                schema: "neoworker",
                table: "jobs");
        }
    }
}
