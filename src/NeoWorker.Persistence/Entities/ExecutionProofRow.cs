namespace NeoWorker.Persistence.Entities;

/// <summary>A stored proof joined with its enclave's evidence.</summary>
public sealed record ExecutionProofRow(string Statement, string Signature, string EnclavePublicKey, string Evidence, bool Simulated)
{
    /// <summary>The proof as events and the API carry it.</summary>
    public NeoWorker.Contracts.ExecutionProof ToExecutionProof() => new(Statement, Signature, EnclavePublicKey, Evidence);
}
