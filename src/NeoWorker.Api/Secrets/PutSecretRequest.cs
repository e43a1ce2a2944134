namespace NeoWorker.Api.Secrets;

/// <summary>
/// A named secret: either <c>value</c> (sealed by the API at once, never stored in the clear) or
/// <c>sealedValue</c>, an envelope of <c>{"name": value}</c> the client sealed to the fleet key,
/// bound to its user and to <c>#named-secret/&lt;name&gt;</c>.
/// </summary>
public sealed record PutSecretRequest(string? Value, string? SealedValue);
