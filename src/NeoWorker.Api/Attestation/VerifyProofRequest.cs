using NeoWorker.Contracts;

namespace NeoWorker.Api.Attestation;

/// <summary>
/// A proof to check. With <c>jobId</c> (a job the caller may see) the statement must also match
/// that job's code, input, status and result; <c>expected</c> adds the caller's own values.
/// </summary>
public sealed record VerifyProofRequest(ExecutionProof? Proof, Guid? JobId, ExpectedValues? Expected);

/// <summary>Values the caller knows independently; each given one must match the signed statement.</summary>
public sealed record ExpectedValues(string? FunctionId, string? UserId, string? Code, string? Input, string? Status, string? Result);
