namespace NeoWorker.Enclave;

/// <summary>
/// The enclave's proof of one job: its signature over the canonical statement, the enclave public
/// key and the evidence (quote) binding that key. Binary values base64.
/// </summary>
public sealed record EnclaveProof(
    string Statement,
    string Signature,
    string EnclavePublicKey,
    string EnclaveKeyId,
    string Evidence,
    bool Simulated,
    string? MrEnclave);
