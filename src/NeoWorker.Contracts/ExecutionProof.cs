namespace NeoWorker.Contracts;

/// <summary>
/// Everything a subscriber needs to verify offline that a result came from a genuine enclave:
/// the canonical statement, the enclave's signature over it, the enclave public key and the
/// evidence (quote) binding that key to the enclave. Binary values are base64.
/// </summary>
public sealed record ExecutionProof(
    string Statement,
    string Signature,
    string EnclavePublicKey,
    string Evidence);
