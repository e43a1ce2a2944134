using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NeoWorker.Api.Authentication;
using NeoWorker.Api.Secrets;
using NeoWorker.Enclave.Configuration;
using NeoWorker.Persistence;
using NeoWorker.Persistence.Entities;

namespace NeoWorker.Api.Endpoints;

/// <summary>A caller's named secrets: stored sealed, listed by name and date only, referenced by <c>secretNames</c>.</summary>
public static class SecretEndpoints
{
    public static RouteGroupBuilder MapSecretEndpoints(this IEndpointRouteBuilder app)
    {
        var secrets = app.MapGroup("/api/v1/secrets").RequireAuthorization().WithTags("Secrets");
        secrets.MapPut("/{name}", PutSecret);
        secrets.MapGet("/", ListSecrets);
        secrets.MapDelete("/{name}", DeleteSecret);
        return secrets;
    }

    internal static async Task<Results<Ok<SecretView>, ValidationProblem>> PutSecret(
        string name, PutSecretRequest? request, SecretsSealing sealing, NeoWorkerDbContext db, IOptions<TeeOptions> tee,
        TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var caller = Caller.From(user);
        if (!SecretNames.IsValid(name))
        {
            return Invalid("name", $"name must be {SecretNames.Rule}.");
        }

        string envelope;
        switch (request)
        {
            case { Value: not null, SealedValue: null }:
                if (System.Text.Encoding.UTF8.GetByteCount(request.Value) > tee.Value.Limits.MaxSecretsBytes)
                {
                    return Invalid("value", $"value must be at most {tee.Value.Limits.MaxSecretsBytes} bytes.");
                }

                var sealedValue = sealing.SealNamed(name, request.Value, caller.UserId);
                if (sealedValue.Error is { } error)
                {
                    return Invalid("value", error);
                }

                envelope = sealedValue.Envelope!;
                break;
            case { Value: null, SealedValue: { Length: > 0 } clientSealed }:
                envelope = clientSealed;
                break;
            default:
                return Invalid("value", "Give exactly one of value or sealedValue.");
        }

        var now = DatabaseClock.UtcNow(clock);
        var existing = await db.UserSecrets.SingleOrDefaultAsync(s => s.UserId == caller.UserId && s.Name == name, cancellationToken)
            .ConfigureAwait(false);
        if (existing is null)
        {
            existing = new UserSecret { UserId = caller.UserId, Name = name, SealedValue = envelope, CreatedAt = now, UpdatedAt = now };
            db.UserSecrets.Add(existing);
        }
        else
        {
            existing.SealedValue = envelope;
            existing.UpdatedAt = now;
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new SecretView(existing.Name, existing.CreatedAt, existing.UpdatedAt));
    }

    internal static async Task<Ok<List<SecretView>>> ListSecrets(NeoWorkerDbContext db, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var caller = Caller.From(user);
        var secrets = await db.UserSecrets.AsNoTracking()
            .Where(s => s.UserId == caller.UserId)
            .OrderBy(s => s.Name)
            .Select(s => new SecretView(s.Name, s.CreatedAt, s.UpdatedAt))
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        return TypedResults.Ok(secrets);
    }

    internal static async Task<Results<NoContent, NotFound>> DeleteSecret(string name, NeoWorkerDbContext db, ClaimsPrincipal user,
        CancellationToken cancellationToken)
    {
        var caller = Caller.From(user);
        var deleted = await db.UserSecrets.Where(s => s.UserId == caller.UserId && s.Name == name)
            .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        return deleted == 0 ? TypedResults.NotFound() : TypedResults.NoContent();
    }

    private static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });
}
