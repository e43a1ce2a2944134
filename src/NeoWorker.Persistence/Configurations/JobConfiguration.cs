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
        job.Property(j => j.RequestSha256).HasMaxLength(64).IsFixedLength();
        job.HasIndex(j => new { j.UserId, j.IdempotencyKey }).IsUnique().HasFilter("idempotency_key IS NOT NULL");

        // Status polling and dashboards: newest first per state, per user, per function.
        job.HasIndex(j => new { j.Status, j.RequestedAt }).IsDescending(false, true);
        job.HasIndex(j => new { j.UserId, j.RequestedAt }).IsDescending(false, true);
        job.HasIndex(j => new { j.FunctionId, j.RequestedAt }).IsDescending(false, true);

        // The dispatcher's outbox scan touches only what is not yet sent.
        job.HasIndex(j => j.CreatedAt).HasFilter("dispatched_at IS NULL").HasDatabaseName("ix_jobs_undispatched");
    }
}
