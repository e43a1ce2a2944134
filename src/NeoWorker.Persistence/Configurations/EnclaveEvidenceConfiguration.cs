using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NeoWorker.Persistence.Entities;

namespace NeoWorker.Persistence.Configurations;

internal sealed class EnclaveEvidenceConfiguration : IEntityTypeConfiguration<EnclaveEvidence>
{
    public void Configure(EntityTypeBuilder<EnclaveEvidence> evidence)
    {
        evidence.ToTable("enclave_evidence");
        evidence.HasKey(e => e.EnclaveKeyId);
        evidence.Property(e => e.EnclaveKeyId).HasMaxLength(32);
        evidence.Property(e => e.EvidenceType).HasMaxLength(32);
        evidence.Property(e => e.MrEnclave).HasMaxLength(64);
        evidence.HasIndex(e => e.FirstSeenAt);
    }
}
