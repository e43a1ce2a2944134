using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NeoWorker.Persistence.Entities;

namespace NeoWorker.Persistence.Configurations;

internal sealed class AttestationProofConfiguration : IEntityTypeConfiguration<AttestationProof>
{
    public void Configure(EntityTypeBuilder<AttestationProof> proof)
    {
        proof.ToTable("attestation_proofs");
        proof.HasKey(p => p.JobId);
        proof.Property(p => p.EnclaveKeyId).HasMaxLength(32);

        // A proof lives and dies with its job (retention deletes both); evidence outlives them.
        proof.HasOne<Job>().WithOne().HasForeignKey<AttestationProof>(p => p.JobId).OnDelete(DeleteBehavior.Cascade);
        proof.HasOne<EnclaveEvidence>().WithMany().HasForeignKey(p => p.EnclaveKeyId).OnDelete(DeleteBehavior.Restrict);
        proof.HasIndex(p => p.EnclaveKeyId);
    }
}
