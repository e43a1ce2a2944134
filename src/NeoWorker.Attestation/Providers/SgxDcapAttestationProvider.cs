using System.Security.Cryptography.X509Certificates;
using NeoWorker.Attestation.Proofs;
using NeoWorker.Attestation.Quotes;
using NeoWorker.Contracts;

namespace NeoWorker.Attestation.Providers;

/// <summary>
/// Hardware attestation: verifies proofs whose evidence is an Intel SGX DCAP quote against the Intel SGX Root CA,
/// the caller's collateral (offline) and the policy (default <see cref="QuotePolicy.Default"/>: no debug, no
/// simulated, Intel's acceptable TCB statuses). It cannot generate quotes: only code inside an SGX enclave can, and
/// in NeoWorker that is the enclave runner in Occlum (src/NeoWorker.Enclave/runner/native), not this process.
/// </summary>
public sealed class SgxDcapAttestationProvider : IAttestationProvider
{
    private readonly X509Certificate2 intelRoot = IntelSgx.LoadRootCa();
    private readonly ProofTrust trust;
    private readonly QuoteVerifier quotes;
    private readonly ExecutionProofVerifier verifier;

    public SgxDcapAttestationProvider(AttestationProviderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Policy = options.Policy ?? QuotePolicy.Default;
        Collateral = options.Collateral;
        quotes = new QuoteVerifier(options.Clock ?? TimeProvider.System);
        verifier = new ExecutionProofVerifier(quotes);
        trust = new ProofTrust(intelRoot, null, Collateral, Policy);
    }

    public string Kind => AttestationProviderOptions.SgxDcapType;

    public QuotePolicy Policy { get; }

    public QuoteCollateral? Collateral { get; }

    /// <summary>Always fails with <see cref="PlatformNotSupportedException"/>: a .NET process outside the enclave has no quote source.</summary>
    public Task<AttestationEvidence> GenerateAttestationProofAsync(byte[] reportData, CancellationToken ct = default)
    {
        AttestationArguments.RequireReportData(reportData);
        return Task.FromException<AttestationEvidence>(new PlatformNotSupportedException(
            "SGX DCAP quotes cannot be generated in this process: outside an SGX enclave there is no quote source. " +
            "They come from the enclave runner inside Occlum (its sgx_quote addon on /dev/sgx, NEOWORKER_EVIDENCE=sgx), " +
            "which announces the quote binding its enclave key in its ready message. This provider verifies them."));
    }

    public Task<ProofVerificationResult> VerifyAttestationProofAsync(ExecutionProof proof, ProofExpectations? expected = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(proof);
        ct.ThrowIfCancellationRequested();
        return Task.FromResult(verifier.Verify(proof, trust, expected));
    }

    /// <summary>The evidence alone (no proof around it) against the Intel root, <see cref="Collateral"/> and <see cref="Policy"/>.</summary>
    public QuoteVerificationResult VerifyEvidence(ReadOnlySpan<byte> quote) => quotes.Verify(quote, intelRoot, Collateral, Policy);
}
