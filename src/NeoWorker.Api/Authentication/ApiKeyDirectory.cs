using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using NeoWorker.Persistence;

namespace NeoWorker.Api.Authentication;

/// <summary>Looks API keys up by hash, caching answers briefly so a polling dashboard costs no query per request.</summary>
internal sealed class ApiKeyDirectory(IServiceScopeFactory scopes, IMemoryCache cache, IOptions<ApiOptions> options)
{
    public async Task<Caller?> FindAsync(string keyHash, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(keyHash, out Caller? cached))
        {
            return cached;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NeoWorkerDbContext>();
        var row = await db.ApiKeys.AsNoTracking()
            .Where(k => k.KeyHash == keyHash && k.RevokedAt == null)
            .Select(k => new { k.KeyHash, Caller = new Caller(k.UserId, k.Role, k.Name) })
            .SingleOrDefaultAsync(cancellationToken)
            .ConfigureAwait(false);

        // The index seek compares SHA-256 hashes of 192-bit random keys: its timing could at most
        // hint at a hash prefix, which does not help find a key. The match itself is confirmed
        // with a constant-time comparison.
        var caller = row is not null && CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(row.KeyHash), Encoding.ASCII.GetBytes(keyHash))
            ? row.Caller
            : null;
        // Unknown keys are remembered only briefly, so a key created a moment ago works soon.
        var cacheFor = TimeSpan.FromSeconds(options.Value.KeyCacheSeconds);
        cache.Set(keyHash, caller, caller is null ? TimeSpan.FromSeconds(Math.Min(2, options.Value.KeyCacheSeconds)) : cacheFor);
        return caller;
    }
}
