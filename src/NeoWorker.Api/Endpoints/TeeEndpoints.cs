using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using NeoWorker.Api.Secrets;
using NeoWorker.Enclave.Configuration;

namespace NeoWorker.Api.Endpoints;

public static class TeeEndpoints
{
    public static RouteGroupBuilder MapTeeEndpoints(this IEndpointRouteBuilder app)
    {
        var tee = app.MapGroup("/api/v1/tee").RequireAuthorization().WithTags("TEE");
        tee.MapGet("/info", GetInfo);
        return tee;
    }

    /// <summary>What clients need to seal secrets and to judge proofs: the mode and the fleet's public sealing key.</summary>
    internal static Ok<TeeInfo> GetInfo(IOptions<TeeOptions> tee, SecretsSealing sealing)
    {
        var options = tee.Value;
        var key = sealing.PublicKey;
        return TypedResults.Ok(new TeeInfo(
            options.Type.ToString(),
            Simulated: options.Type == TeeType.Simulation || options.SimulationMode,
            options.SimulationMode,
            key is null ? null : new SealingKeyInfo(key.KeyId, "ECDH-ES+HKDF-SHA256+A256GCM", key.ExportPem(), key.ExportBase64Point())));
    }
}

/// <summary>The answer of <c>GET /api/v1/tee/info</c>.</summary>
public sealed record TeeInfo(string Type, bool Simulated, bool SimulationMode, SealingKeyInfo? Sealing);

/// <summary>The fleet public key to seal secrets to (format: src/NeoWorker.Attestation/Sealing/README.md).</summary>
public sealed record SealingKeyInfo(string KeyId, string Algorithm, string PublicKeyPem, string PublicKeyPoint);
