namespace NeoWorker.Persistence.Entities;

/// <summary>A stored proof joined with its enclave's evidence.</summary>
public sealed record ExecutionProofRow(string Statement, string Signature, string EnclavePublicKey, string Evidence, bool Simulated);
