using System.Text.Json;
using NeoWorker.Attestation;

namespace NeoWorker.Api.Jobs;

/// <summary>
/// What makes two submissions "the same request" for an Idempotency-Key: everything but the
/// plaintext secrets, of which only their presence counts (a hash of a short secret could be
/// guessed, and the API keeps nothing derived from plaintext).
/// </summary>
internal static class RequestFingerprint
{
    public static string Of(ExecuteJavaScriptRequest request, string userId) =>
        ContentHash.Sha256Hex(JsonSerializer.Serialize(new object?[]
        {
            userId,
            request.FunctionId,
            request.Code,
            request.Input,
            request.TimeoutMs,
            request.Secrets is not null,
            request.SealedSecrets,
            request.SecretNames,
        }));
}
