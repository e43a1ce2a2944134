using NeoWorker.Attestation.Quotes;

namespace NeoWorker.Attestation.Proofs;

/// <summary>The verdict on a proof, with every step that led to it.</summary>
public sealed record ProofVerificationResult(
    IReadOnlyList<ProofCheck> Checks,
    ProofStatement? Statement,
    QuoteVerificationResult? Evidence)
{
    public bool IsValid => Checks.Count > 0 && Checks.All(c => c.Passed);

    public bool IsSimulated => Evidence?.IsSimulated ?? false;

    public string? FailureReason => IsValid ? null : string.Join(" ", Checks.Where(c => !c.Passed).Select(c => $"[{c.Name}] {c.Detail}"));
}
