namespace NeoWorker.Enclave;

/// <summary>What the host hands an enclave for one job.</summary>
/// <param name="Input">JSON text, or null.</param>
/// <param name="SealedSecrets">Secrets sealed to the fleet key; opened only inside the enclave.</param>
public sealed record EnclaveJob(
    string JobId,
    string Code,
    string? Input,
    string? SealedSecrets,
    string UserId,
    string FunctionId,
    int TimeoutMs);
