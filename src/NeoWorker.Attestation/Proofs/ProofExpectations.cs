namespace NeoWorker.Attestation.Proofs;

/// <summary>
/// What the verifier knows independently of the proof (e.g. the job it asked for and the result it
/// got); any value given must match the signed statement. Texts are hashed here, exactly as sent.
/// </summary>
public sealed record ProofExpectations(
    string? JobId = null,
    string? FunctionId = null,
    string? UserId = null,
    string? Code = null,
    string? Input = null,
    string? Status = null,
    string? Result = null);
