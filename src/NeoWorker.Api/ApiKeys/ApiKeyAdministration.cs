using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using NeoWorker.Api.Authentication;
using NeoWorker.Attestation;
using NeoWorker.Persistence;
using NeoWorker.Persistence.Entities;

namespace NeoWorker.Api.ApiKeys;

/// <summary>Creates, lists and revokes API keys. Only the key's SHA-256 is stored; the key is shown once, at creation.</summary>
public sealed class ApiKeyAdministration(NeoWorkerDbContext db, TimeProvider clock)
{
    public const string KeyPrefix = "nwk_";
    private const int KeyBytes = 24;

    public static bool IsValidRole(string role) => role is ApiKeyDefaults.TenantRole or ApiKeyDefaults.OpsRole;

    /// <summary>Creates a key for <paramref name="userId"/>; returns the plaintext key, which is not kept anywhere.</summary>
    public async Task<string> CreateAsync(string name, string userId, string role, CancellationToken cancellationToken)
    {
        if (!IsValidRole(role))
        {
            throw new ArgumentException($"role must be {ApiKeyDefaults.TenantRole} or {ApiKeyDefaults.OpsRole}.", nameof(role));
        }

        // 192 random bits: a key cannot be guessed, so finding it by its hash (an index seek) leaks
        // nothing useful through timing, and no plaintext comparison ever happens.
        var key = KeyPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(KeyBytes));
        db.ApiKeys.Add(new ApiKey
        {
            Id = Guid.CreateVersion7(),
            Name = name,
            KeyHash = ContentHash.Sha256Hex(key),
            UserId = userId,
            Role = role,
            CreatedAt = DatabaseClock.UtcNow(clock),
        });
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return key;
    }

    /// <summary>Revokes the key named <paramref name="name"/>; false when there is no such active key.</summary>
    public async Task<bool> RevokeAsync(string name, CancellationToken cancellationToken)
    {
        var now = DatabaseClock.UtcNow(clock);
        return await db.ApiKeys
            .Where(k => k.Name == name && k.RevokedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(k => k.RevokedAt, now), cancellationToken)
            .ConfigureAwait(false) == 1;
    }

    public async Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken) =>
        await db.ApiKeys.AsNoTracking().OrderBy(k => k.Name).ToListAsync(cancellationToken).ConfigureAwait(false);

    public Task<bool> NameExistsAsync(string name, CancellationToken cancellationToken) =>
        db.ApiKeys.AnyAsync(k => k.Name == name, cancellationToken);
}
