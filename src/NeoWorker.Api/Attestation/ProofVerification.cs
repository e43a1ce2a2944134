using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using NeoWorker.Attestation.Proofs;
using NeoWorker.Attestation.Quotes;
using NeoWorker.Contracts;

namespace NeoWorker.Api.Attestation;

/// <summary>The API's proof verifier, configured once from <see cref="AttestationOptions"/>.</summary>
public sealed class ProofVerification
{
    private readonly ExecutionProofVerifier _verifier;
    private readonly ProofTrust _trust;

    public ProofVerification(IOptions<AttestationOptions> options, TimeProvider clock)
    {
        var settings = options.Value;
        _verifier = new ExecutionProofVerifier(new QuoteVerifier(clock));
        SimulationRootPem = string.IsNullOrWhiteSpace(settings.SimulationRootFile) ? null : File.ReadAllText(settings.SimulationRootFile);
        _trust = new ProofTrust(
            IntelSgx.LoadRootCa(),
            SimulationRootPem is null ? null : X509Certificate2.CreateFromPem(SimulationRootPem),
            Collateral: null,
            new QuotePolicy
            {
                AllowSimulated = settings.AllowSimulated,
                AllowDebug = settings.AllowDebug,
                AllowedMrEnclaves = [.. settings.AllowedMrEnclaves],
                AllowedMrSigners = [.. settings.AllowedMrSigners],
            });
    }

    /// <summary>The policy in force, as tee/info shows it.</summary>
    public QuotePolicy Policy => _trust.Policy;

    /// <summary>The simulation root this deployment trusts, for clients that verify offline.</summary>
    public string? SimulationRootPem { get; }

    public ProofVerificationResult Verify(ExecutionProof proof, ProofExpectations? expected) => _verifier.Verify(proof, _trust, expected);
}
