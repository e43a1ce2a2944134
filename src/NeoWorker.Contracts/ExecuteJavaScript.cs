namespace NeoWorker.Contracts;

/// <summary>
/// Command: run <paramref name="Code"/> (a script defining <c>main(input, secrets)</c>) in an enclave.
/// The publisher chooses <paramref name="JobId"/>; it is the idempotency key.
/// </summary>
/// <param name="Input">A JSON text passed to <c>main</c> as its first argument.</param>
/// <param name="SealedSecrets">Secrets sealed to the enclave fleet key; never plaintext.</param>
/// <param name="TimeoutMs">Optional per-job time limit, capped by the worker's configured maximum.</param>
public sealed record ExecuteJavaScript(
    Guid JobId,
    string Code,
    string? Input,
    string? SealedSecrets,
    string FunctionId,
    string UserId,
    int? TimeoutMs,
    DateTimeOffset RequestedAt)
{
    /// <summary>
    /// The user's named secrets for this job, name → envelope sealed to the fleet key and bound to
    /// <see cref="SecretBindings.NamedSecret"/>; merged under the job's own secrets inside the enclave.
    /// </summary>
    public IReadOnlyDictionary<string, string>? SealedNamedSecrets { get; init; }
}
