namespace NeoWorker.Enclave;

/// <summary>What the host hands an enclave for one job.</summary>
/// <param name="Input">JSON text, or null.</param>
/// <param name="SealedSecrets">Secrets sealed to the fleet key; opened only inside the enclave.</param>
/// <param name="SealedNamedSecrets">The user's named secrets (name → envelope), merged under <paramref name="SealedSecrets"/>.</param>
public sealed record EnclaveJob(
    string JobId,
    string Code,
    string? Input,
    string? SealedSecrets,
    IReadOnlyDictionary<string, string>? SealedNamedSecrets,
    string UserId,
    string FunctionId,
    int TimeoutMs)
{
    /// <summary>Fires when a caller cancels the job: the enclave stops it and the result is Canceled.</summary>
    public CancellationToken StopRequested { get; init; }
}
