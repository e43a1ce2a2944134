using NeoWorker.Attestation.Proofs;
using NeoWorker.Contracts;

namespace NeoWorker.Attestation.Providers;

/// <summary>
/// The seed's attestation seam, made real. A provider produces evidence that binds 64 bytes of report data (an SGX
/// DCAP ECDSA quote v3, or its simulated twin) and verifies an <see cref="ExecutionProof"/> offline against its
/// trust root, collateral and policy. Made by <see cref="AttestationProviderFactory"/>.
/// </summary>
public interface IAttestationProvider
{
    /// <summary><see cref="AttestationProviderOptions.SimulationType"/> or <see cref="AttestationProviderOptions.SgxDcapType"/>.</summary>
    string Kind { get; }

    /// <summary>
    /// Evidence whose REPORTDATA is exactly <paramref name="reportData"/> (64 bytes; NeoWorker: SHA-256(enclave public
    /// key) followed by 32 zeros, see <see cref="EnclaveKeys.ReportData"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The report data is not 64 bytes.</exception>
    /// <exception cref="PlatformNotSupportedException">This provider cannot produce quotes in this process (SGX: only the enclave runner can).</exception>
    Task<AttestationEvidence> GenerateAttestationProofAsync(byte[] reportData, CancellationToken ct = default);

    /// <summary>
    /// Every check of the proof (statement, signature, evidence, key binding, and <paramref name="expected"/> when
    /// given) and the reason of each failure. Never throws for a bad proof; <see cref="ProofVerificationResult.IsValid"/> is the verdict.
    /// </summary>
    Task<ProofVerificationResult> VerifyAttestationProofAsync(ExecutionProof proof, ProofExpectations? expected = null, CancellationToken ct = default);
}
