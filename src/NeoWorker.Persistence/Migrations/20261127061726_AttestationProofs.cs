using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NeoWorker.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class AttestationProofs : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "enclave_evidence",
                schema: "neoworker",
                columns: table => new
                {
                    enclave_key_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    enclave_public_key = table.Column<string>(type: "text", nullable: false),
                    evidence_type = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    evidence = table.Column<string>(type: "text", nullable: false),
                    simulated = table.Column<bool>(type: "boolean", nullable: false),
                    mr_enclave = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    first_seen_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_enclave_evidence", x => x.enclave_key_id);
                });

            migrationBuilder.CreateTable(
                name: "attestation_proofs",
                schema: "neoworker",
                columns: table => new
                {
                    job_id = table.Column<Guid>(type: "uuid", nullable: false),
                    statement = table.Column<string>(type: "text", nullable: false),
                    signature = table.Column<string>(type: "text", nullable: false),
                    enclave_key_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_attestation_proofs", x => x.job_id);
                    table.ForeignKey(
                        name: "fk_attestation_proofs_enclave_evidence_enclave_key_id",
                        column: x => x.enclave_key_id,
                        principalSchema: "neoworker",
                        principalTable: "enclave_evidence",
                        principalColumn: "enclave_key_id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_attestation_proofs_jobs_job_id",
                        column: x => x.job_id,
                        principalSchema: "neoworker",
                        principalTable: "jobs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_attestation_proofs_enclave_key_id",
                schema: "neoworker",
                table: "attestation_proofs",
                column: "enclave_key_id");

            migrationBuilder.CreateIndex(
                name: "ix_enclave_evidence_first_seen_at",
                schema: "neoworker",
                table: "enclave_evidence",
                column: "first_seen_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "attestation_proofs",
                schema: "neoworker");

            migrationBuilder.DropTable(
                name: "enclave_evidence",
                schema: "neoworker");
        }
    }
}
