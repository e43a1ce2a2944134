namespace NeoWorker.Attestation.Proofs;

/// <summary>One step of verifying a proof, and why it passed or failed.</summary>
public sealed record ProofCheck(string Name, bool Passed, string Detail);
