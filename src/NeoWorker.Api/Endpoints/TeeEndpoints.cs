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
    private const int MaxKeysShown = 20;

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
        // Enclave keys that signed recently, newest first; each enclave start makes a new one.
        var keys = await db.EnclaveEvidence.AsNoTracking()
            .OrderByDescending(e => e.FirstSeenAt)
            .Take(MaxKeysShown)
            .Select(e => new EnclaveKeyInfo(e.EnclaveKeyId, e.EnclavePublicKey, e.MrEnclave, e.Simulated, e.FirstSeenAt))
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        var policy = proofs.Policy;
        var simulated = options.Type == TeeType.Simulation || options.SimulationMode;
        return TypedResults.Ok(new TeeInfo(
            options.Type.ToString(),
            simulated,
            options.SimulationMode,
            keys.FirstOrDefault()?.MrEnclave,
            key is null ? null : new SealingKeyInfo(key.KeyId, "ECDH-ES+HKDF-SHA256+A256GCM", key.ExportPem(), key.ExportBase64Point()),
            simulated ? proofs.SimulationRootPem : null,
            keys,
            new PolicyInfo(policy.AllowSimulated, policy.AllowDebug, [.. policy.AllowedMrEnclaves], [.. policy.AllowedMrSigners],
                [.. policy.AcceptedTcbStatuses.Select(s => s.ToString())])));
    }
}

/// <summary>The answer of <c>GET /api/v1/tee/info</c>.</summary>
public sealed record TeeInfo(string Type, bool Simulated, bool SimulationMode, string? Measurement, SealingKeyInfo? Sealing, string? SimulationRoot,
    IReadOnlyList<EnclaveKeyInfo> EnclaveKeys, PolicyInfo Policy);

/// <summary>An enclave signing key seen recently, with the measurement its evidence reports.</summary>
public sealed record EnclaveKeyInfo(string KeyId, string PublicKey, string? MrEnclave, bool Simulated, DateTimeOffset FirstSeenAt);

/// <summary>The verification policy of <c>POST /api/v1/attestation/verify</c>.</summary>
public sealed record PolicyInfo(bool AllowSimulated, bool AllowDebug, IReadOnlyList<string> AllowedMrEnclaves, IReadOnlyList<string> AllowedMrSigners,
    IReadOnlyList<string> AcceptedTcbStatuses);

/// <summary>The fleet public key to seal secrets to (format: src/NeoWorker.Attestation/Sealing/README.md).</summary>
public sealed record SealingKeyInfo(string KeyId, string Algorithm, string PublicKeyPem, string PublicKeyPoint);
