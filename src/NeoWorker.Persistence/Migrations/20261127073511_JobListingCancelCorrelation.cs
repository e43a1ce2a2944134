using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NeoWorker.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class JobListingCancelCorrelation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_jobs_function_id_requested_at",
                schema: "neoworker",
                table: "jobs");

            migrationBuilder.DropIndex(
                name: "ix_jobs_status_requested_at",
                schema: "neoworker",
                table: "jobs");

            migrationBuilder.DropIndex(
                name: "ix_jobs_user_id_requested_at",
                schema: "neoworker",
                table: "jobs");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "cancel_requested_at",
                schema: "neoworker",
                table: "jobs",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "correlation_id",
                schema: "neoworker",
                table: "jobs",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_jobs_cancel_requested",
                schema: "neoworker",
                table: "jobs",
                column: "worker_id",
                filter: "cancel_requested_at IS NOT NULL AND status = 'Running'");

            migrationBuilder.CreateIndex(
                name: "ix_jobs_completed",
                schema: "neoworker",
                table: "jobs",
                column: "completed_at",
                filter: "completed_at IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_jobs_function_id_requested_at_id",
                schema: "neoworker",
                table: "jobs",
                columns: new[] { "function_id", "requested_at", "id" },
                descending: new[] { false, true, true });

            migrationBuilder.CreateIndex(
                name: "ix_jobs_listing",
                schema: "neoworker",
                table: "jobs",
                columns: new[] { "requested_at", "id" },
                descending: new bool[0]);

            migrationBuilder.CreateIndex(
                name: "ix_jobs_status_requested_at_id",
                schema: "neoworker",
                table: "jobs",
                columns: new[] { "status", "requested_at", "id" },
                descending: new[] { false, true, true });

            migrationBuilder.CreateIndex(
                name: "ix_jobs_user_id_requested_at_id",
                schema: "neoworker",
                table: "jobs",
                columns: new[] { "user_id", "requested_at", "id" },
                descending: new[] { false, true, true });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_jobs_cancel_requested",
                schema: "neoworker",
                table: "jobs");

            migrationBuilder.DropIndex(
                name: "ix_jobs_completed",
                schema: "neoworker",
                table: "jobs");

            migrationBuilder.DropIndex(
                name: "ix_jobs_function_id_requested_at_id",
                schema: "neoworker",
                table: "jobs");

            migrationBuilder.DropIndex(
                name: "ix_jobs_listing",
                schema: "neoworker",
                table: "jobs");

            migrationBuilder.DropIndex(
                name: "ix_jobs_status_requested_at_id",
                schema: "neoworker",
                table: "jobs");

            migrationBuilder.DropIndex(
                name: "ix_jobs_user_id_requested_at_id",
                schema: "neoworker",
                table: "jobs");

            migrationBuilder.DropColumn(
                name: "cancel_requested_at",
                schema: "neoworker",
                table: "jobs");

            migrationBuilder.DropColumn(
                name: "correlation_id",
                schema: "neoworker",
                table: "jobs");

            migrationBuilder.CreateIndex(
                name: "ix_jobs_function_id_requested_at",
                schema: "neoworker",
                table: "jobs",
                columns: new[] { "function_id", "requested_at" },
                descending: new[] { false, true });

            migrationBuilder.CreateIndex(
                name: "ix_jobs_status_requested_at",
                schema: "neoworker",
                table: "jobs",
                columns: new[] { "status", "requested_at" },
                descending: new[] { false, true });

            migrationBuilder.CreateIndex(
                name: "ix_jobs_user_id_requested_at",
                schema: "neoworker",
                table: "jobs",
                columns: new[] { "user_id", "requested_at" },
                descending: new[] { false, true });
        }
    }
}
