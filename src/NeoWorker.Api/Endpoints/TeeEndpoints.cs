using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.EntityFrameworkCore;
using NeoWorker.Api.Attestation;
using NeoWorker.Api.Secrets;
using NeoWorker.Persistence;
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

    /// <summary>
    /// What clients need to seal secrets and to judge proofs: the mode, the measurement the fleet's
    /// enclaves last reported, the public sealing key and, when simulated, the simulation root.
    /// </summary>
    internal static async Task<Ok<TeeInfo>> GetInfo(IOptions<TeeOptions> tee, SecretsSealing sealing, ProofVerification proofs,
        NeoWorkerDbContext db, CancellationToken cancellationToken)
    {
        var options = tee.Value;
        var key = sealing.PublicKey;
        var latest = await db.EnclaveEvidence.AsNoTracking()
            .OrderByDescending(e => e.FirstSeenAt)
            .Select(e => new { e.MrEnclave, e.Simulated })
            .FirstOrDefaultAsync(cancellationToken)
            .ConfigureAwait(false);
        var simulated = options.Type == TeeType.Simulation || options.SimulationMode;
        return TypedResults.Ok(new TeeInfo(
            options.Type.ToString(),
            simulated,
            options.SimulationMode,
            latest?.MrEnclave,
            key is null ? null : new SealingKeyInfo(key.KeyId, "ECDH-ES+HKDF-SHA256+A256GCM", key.ExportPem(), key.ExportBase64Point()),
            simulated ? proofs.SimulationRootPem : null));
    }
}

/// <summary>The answer of <c>GET /api/v1/tee/info</c>.</summary>
public sealed record TeeInfo(string Type, bool Simulated, bool SimulationMode, string? Measurement, SealingKeyInfo? Sealing, string? SimulationRoot);

/// <summary>The fleet public key to seal secrets to (format: src/NeoWorker.Attestation/Sealing/README.md).</summary>
public sealed record SealingKeyInfo(string KeyId, string Algorithm, string PublicKeyPem, string PublicKeyPoint);
