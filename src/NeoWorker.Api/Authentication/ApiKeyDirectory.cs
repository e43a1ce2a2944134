using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using NeoWorker.Persistence;

namespace NeoWorker.Api.Authentication;

/// <summary>Looks API keys up by hash, caching answers briefly so a polling dashboard costs no query per request.</summary>
internal sealed class ApiKeyDirectory(IServiceScopeFactory scopes, IMemoryCache cache)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    public async Task<Caller?> FindAsync(string keyHash, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(keyHash, out Caller? cached))
        {
            return cached;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NeoWorkerDbContext>();
        var caller = await db.ApiKeys.AsNoTracking()
            .Where(k => k.KeyHash == keyHash && k.RevokedAt == null)
            .Select(k => new Caller(k.UserId, k.Role))
            .SingleOrDefaultAsync(cancellationToken)
            .ConfigureAwait(false);
        // Unknown keys are remembered only briefly, so a key created a moment ago works soon.
        cache.Set(keyHash, caller, caller is null ? TimeSpan.FromSeconds(2) : CacheFor);
        return caller;
    }
}
