namespace NeoWorker.Persistence.Entities;

/// <summary>A named secret of one user, stored only sealed to the enclave fleet key.</summary>
public sealed class UserSecret
{
    public required string UserId { get; set; }

    public required string Name { get; set; }

    /// <summary>The envelope of <c>{"&lt;name&gt;": value}</c>, bound to the user and to NeoWorker.Contracts.SecretBindings.NamedSecret.</summary>
    public required string SealedValue { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
