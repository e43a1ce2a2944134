using System.Security.Claims;

namespace NeoWorker.Api.Authentication;

/// <summary>Who is calling: the user the key belongs to and its role.</summary>
public sealed record Caller(string UserId, string Role, string? KeyName = null)
{
    public bool IsOps => Role == ApiKeyDefaults.OpsRole;

    public static Caller From(ClaimsPrincipal principal) => new(
        principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("The caller is not authenticated."),
        principal.FindFirstValue(ApiKeyDefaults.RoleClaim) ?? ApiKeyDefaults.TenantRole);
}
