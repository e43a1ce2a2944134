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

    /// <summary>
    /// Verifies evidence against the root it claims (the simulation root for a simulated quote when one is trusted,
    /// Intel's otherwise; the verifier still refuses any mismatch between the two) and the policy.
    /// </summary>
    internal QuoteVerificationResult VerifyQuote(QuoteVerifier verifier, ReadOnlySpan<byte> quote)
    {
        var claimsSimulated = quote.Length >= 28 && quote.Slice(12, 16).SequenceEqual(SimulatedQuote.VendorId);
        var root = claimsSimulated && SimulationRoot is not null ? SimulationRoot : IntelRoot;
        return verifier.Verify(quote, root, claimsSimulated ? null : Collateral, Policy);
    }
}
