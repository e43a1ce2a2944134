using NeoWorker.Attestation.Proofs;

namespace NeoWorker.Api.Attestation;

/// <summary>The verdict, why, and what the evidence says about the enclave.</summary>
public sealed record VerifyProofResponse(
    bool Valid,
    bool Simulated,
    IReadOnlyList<string> Reasons,
    IReadOnlyList<ProofCheck> Checks,
    ProofStatement? Statement,
    EvidenceSummary? Evidence)
{
    public static VerifyProofResponse From(ProofVerificationResult result) => new(
        result.IsValid,
        result.IsSimulated,
        [.. result.Checks.Where(c => !c.Passed).Select(c => $"{c.Name}: {c.Detail}")],
        result.Checks,
        result.Statement,
        result.Evidence is { } quote
            ? new EvidenceSummary(quote.MrEnclaveHex, quote.MrSignerHex, quote.TcbStatus.ToString(), quote.AdvisoryIds, quote.IsSimulated, quote.IsDebug)
            : null);
}

public sealed record EvidenceSummary(string? MrEnclave, string? MrSigner, string TcbStatus, IReadOnlyList<string> Advisories, bool Simulated, bool Debug);
