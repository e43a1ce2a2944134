namespace NeoWorker.Persistence.Entities;

/// <summary>An API key, stored only as its SHA-256; the key decides the caller's userId and role.</summary>
public sealed class ApiKey
{
    public Guid Id { get; set; }

    /// <summary>A label unique among keys (e.g. "dev").</summary>
    public required string Name { get; set; }

    /// <summary>Lowercase hex SHA-256 of the UTF-8 key.</summary>
    public required string KeyHash { get; set; }

    public required string UserId { get; set; }

    /// <summary>tenant (sees and submits its own jobs) or ops (sees everything).</summary>
    public required string Role { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }
}
