namespace NeoWorker.Api.Authentication;

public static class ApiKeyDefaults
{
    public const string Scheme = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    public const string RoleClaim = "neoworker:role";
    public const string KeyNameClaim = "neoworker:key";
    public const string OpsRole = "ops";
    public const string TenantRole = "tenant";
}
