namespace NeoWorker.Attestation.Tests.Sealing;

/// <summary>The cross-language vectors in <c>src/NeoWorker.Enclave/runner/test/fixtures/sealed-vectors.json</c>.</summary>
public sealed record SealedVectorFile(
    string Comment,
    IReadOnlyList<string> ThrowawayTestPrivateKeysPem,
    int MaxPlaintextBytes,
    IReadOnlyList<SealedVectorFile.Valid> ValidEnvelopes,
    IReadOnlyList<SealedVectorFile.Invalid> InvalidEnvelopes)
{
    /// <summary>An envelope that unseals, for this user and function, to <paramref name="Plaintext"/>.</summary>
    public sealed record Valid(string Name, string Kid, string UserId, string FunctionId, string Plaintext, string Envelope);

    /// <summary>An envelope that, for this user and function, fails with <paramref name="Reason"/>.</summary>
    public sealed record Invalid(string Name, string UserId, string FunctionId, string Reason, string Envelope);
}
