using Microsoft.EntityFrameworkCore;
using NeoWorker.Persistence.Entities;

namespace NeoWorker.Persistence;

public sealed class NeoWorkerDbContext(DbContextOptions<NeoWorkerDbContext> options) : DbContext(options)
{
    public const string Schema = "neoworker";

    public DbSet<Job> Jobs => Set<Job>();

    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    public DbSet<UserSecret> UserSecrets => Set<UserSecret>();

    public DbSet<AttestationProof> AttestationProofs => Set<AttestationProof>();

    public DbSet<EnclaveEvidence> EnclaveEvidence => Set<EnclaveEvidence>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(NeoWorkerDbContext).Assembly);
    }
}
