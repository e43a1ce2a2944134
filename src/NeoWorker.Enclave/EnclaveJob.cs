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
    /// <summary>
    /// Fires when the job's owner cancels it. While the job runs, the enclave stops it (the runner disposes the
    /// job's isolate; a runner that does not answer within <c>Tee:WatchdogGraceMs</c> is replaced); before it
    /// starts, it never runs. Either way the result is Canceled with error code Canceled, not an exception.
    /// Unlike the cancellation token of <see cref="IEnclave.ExecuteAsync"/>, which means the host is giving up.
    /// </summary>
    public CancellationToken StopRequested { get; init; }
}
