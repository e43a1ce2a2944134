namespace NeoWorker.Api.Jobs;

/// <summary>
/// The seed's request body. <c>input</c> and <c>secrets</c> are JSON texts; <c>secrets</c> is sealed on
/// arrival and never stored or sent in the clear. <c>sealedSecrets</c> is for clients that seal themselves.
/// <c>secretNames</c> adds the caller's named secrets (PUT /api/v1/secrets/{name}), under the job's own.
/// </summary>
public sealed record ExecuteJavaScriptRequest(
    string? Code,
    string? Input,
    string? Secrets,
    string? SealedSecrets,
    string? FunctionId,
    string? UserId,
    int? TimeoutMs,
    IReadOnlyList<string>? SecretNames = null);
