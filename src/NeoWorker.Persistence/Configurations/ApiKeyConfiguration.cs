using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NeoWorker.Persistence.Entities;

namespace NeoWorker.Persistence.Configurations;

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> key)
    {
        key.ToTable("api_keys");
        key.HasKey(k => k.Id);
        key.Property(k => k.Name).HasMaxLength(64);
        key.Property(k => k.KeyHash).HasMaxLength(64).IsFixedLength();
        key.Property(k => k.UserId).HasMaxLength(128);
        key.Property(k => k.Role).HasMaxLength(16);
        key.HasIndex(k => k.Name).IsUnique();
        key.HasIndex(k => k.KeyHash).IsUnique();
    }
}
