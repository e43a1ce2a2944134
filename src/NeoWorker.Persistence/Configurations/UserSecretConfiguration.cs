using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NeoWorker.Persistence.Entities;

namespace NeoWorker.Persistence.Configurations;

internal sealed class UserSecretConfiguration : IEntityTypeConfiguration<UserSecret>
{
    public void Configure(EntityTypeBuilder<UserSecret> secret)
    {
        secret.ToTable("user_secrets");
        secret.HasKey(s => new { s.UserId, s.Name });
        secret.Property(s => s.UserId).HasMaxLength(128);
        secret.Property(s => s.Name).HasMaxLength(64);
    }
}
