using System.Security.Cryptography.X509Certificates;
using NeoWorker.Attestation.Quotes;

namespace NeoWorker.Attestation.Proofs;

/// <summary>
/// Whom a verifier trusts: Intel's SGX root for hardware quotes, optionally a deployment's
/// simulation root for simulated ones, the collateral for TCB evaluation, and the policy.
/// </summary>
public sealed record ProofTrust(X509Certificate2 IntelRoot, X509Certificate2? SimulationRoot, QuoteCollateral? Collateral, QuotePolicy Policy)
{
    public static ProofTrust Intel(QuotePolicy? policy = null, QuoteCollateral? collateral = null) =>
        new(IntelSgx.LoadRootCa(), null, collateral, policy ?? QuotePolicy.Default);
}
