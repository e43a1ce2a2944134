namespace NeoWorker.Attestation.Tests.Sealing;

/// <summary>The cross-language vectors in <c>src/NeoWorker.Enclave/runner/test/fixtures/key-release-vectors.json</c>.</summary>
/// <param name="Request">A request (dummy evidence) whose transport key is <paramref name="ThrowawayTransportPrivateKeyPem"/>.</param>
/// <param name="ThrowawaySealingPrivateKeysPem">The sealing keys the valid releases carry.</param>
public sealed record KeyReleaseVectorFile(
    string Comment,
    string Request,
    string ThrowawayTransportPrivateKeyPem,
    IReadOnlyList<string> ThrowawaySealingPrivateKeysPem,
    IReadOnlyList<KeyReleaseVectorFile.Valid> ValidReleases,
    IReadOnlyList<KeyReleaseVectorFile.Invalid> InvalidReleases)
{
    /// <summary>A release that opens, for the request, to the sealing keys named (newest first).</summary>
    public sealed record Valid(string Name, IReadOnlyList<string> SealingKeyIds, string Release);

    /// <summary>A release that, for the request, is refused with <paramref name="Reason"/>.</summary>
    public sealed record Invalid(string Name, string Reason, string Release);
}
