namespace NeoWorker.Persistence.Entities;

/// <summary>A job's proof as the worker hands it to the store: the statement and signature, plus the enclave's evidence.</summary>
public sealed record ProofRecord(
    string Statement,
    string Signature,
    string EnclaveKeyId,
    string EnclavePublicKey,
    string EvidenceType,
    string Evidence,
    bool Simulated,
    string? MrEnclave);
