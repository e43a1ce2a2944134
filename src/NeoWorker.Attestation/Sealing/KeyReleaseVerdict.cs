using NeoWorker.Attestation.Proofs;
using NeoWorker.Attestation.Quotes;

namespace NeoWorker.Attestation.Sealing;

/// <summary>
/// What <see cref="SealingKeyReleaser"/> decided about a key request, with every check that led to it (named as in
/// proof verification: <c>request-format</c>, <c>signature</c>, <c>evidence</c>, <c>key-binding</c>, <c>policy-pinned</c>).
/// <see cref="Envelope"/> is set only when the keys were released. Holds no private key material.
/// </summary>
public sealed record KeyReleaseVerdict(
    IReadOnlyList<ProofCheck> Checks,
    KeyReleaseRequest? Request,
    QuoteVerificationResult? Evidence,
    string? Envelope = null,
    IReadOnlyList<string>? SealingKeyIds = null)
{
    /// <summary>Every check passed: the request comes from an enclave the trust and policy accept.</summary>
    public bool IsAllowed => Checks.Count > 0 && Checks.All(c => c.Passed);

    /// <summary>Allowed and wrapped: <see cref="Envelope"/> holds the release for the enclave.</summary>
    public bool IsReleased => IsAllowed && Envelope is not null;

    public bool IsSimulated => Evidence?.IsSimulated ?? false;

    /// <summary>The failed checks, each as <c>[name] detail</c>, or null when allowed.</summary>
    public string? FailureReason => IsAllowed ? null : string.Join(" ", Checks.Where(c => !c.Passed).Select(c => $"[{c.Name}] {c.Detail}"));

    /// <summary>The names of the failed checks.</summary>
    public IEnumerable<string> FailedChecks => Checks.Where(c => !c.Passed).Select(c => c.Name);
}
