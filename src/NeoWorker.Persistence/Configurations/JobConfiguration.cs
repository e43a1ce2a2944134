using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NeoWorker.Persistence.Entities;

namespace NeoWorker.Persistence.Configurations;

internal sealed class JobConfiguration : IEntityTypeConfiguration<Job>
{
    public void Configure(EntityTypeBuilder<Job> job)
    {
        job.ToTable("jobs");
        job.HasKey(j => j.Id);
        job.Property(j => j.Id).ValueGeneratedNever();
        job.Property(j => j.FunctionId).HasMaxLength(128);
        job.Property(j => j.UserId).HasMaxLength(128);
        job.Property(j => j.Status).HasConversion<string>().HasMaxLength(16);
        job.Property(j => j.CodeSha256).HasMaxLength(64).IsFixedLength();
        job.Property(j => j.ErrorCode).HasMaxLength(64);
        job.Property(j => j.WorkerId).HasMaxLength(128);
        job.Property(j => j.EnclaveId).HasMaxLength(128);
        job.Property(j => j.IdempotencyKey).HasMaxLength(128);
        job.Property(j => j.CorrelationId).HasMaxLength(64);
        job.Property(j => j.RequestSha256).HasMaxLength(64).IsFixedLength();
        job.HasIndex(j => new { j.UserId, j.IdempotencyKey }).IsUnique().HasFilter("idempotency_key IS NOT NULL");

        // Job listing pages newest first by the key (requested_at, id) — keyset paging — overall,
        // per state, per user and per function, so every page is an index range scan however
        // large the table grows.
        job.HasIndex(j => new { j.RequestedAt, j.Id }).IsDescending(true, true).HasDatabaseName("ix_jobs_listing");
        job.HasIndex(j => new { j.Status, j.RequestedAt, j.Id }).IsDescending(false, true, true);
        job.HasIndex(j => new { j.UserId, j.RequestedAt, j.Id }).IsDescending(false, true, true);
        job.HasIndex(j => new { j.FunctionId, j.RequestedAt, j.Id }).IsDescending(false, true, true);

        // Stats: completions and execution times over a recent window.
        job.HasIndex(j => j.CompletedAt).HasFilter("completed_at IS NOT NULL").HasDatabaseName("ix_jobs_completed");

        // Workers look for cancel requests on the jobs they hold.
        job.HasIndex(j => j.WorkerId).HasFilter("cancel_requested_at IS NOT NULL AND status = 'Running'").HasDatabaseName("ix_jobs_cancel_requested");

        // The dispatcher's outbox scan touches only what is not yet sent.
        job.HasIndex(j => j.CreatedAt).HasFilter("dispatched_at IS NULL").HasDatabaseName("ix_jobs_undispatched");
    }
}
