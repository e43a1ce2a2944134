namespace NeoWorker.Enclave.Pool;

/// <summary>The worker's enclaves; a job waits for a free one.</summary>
public interface IEnclavePool
{
    /// <summary>Enclaves in the pool (the configured <c>Tee:Workers</c>).</summary>
    int Size { get; }

    /// <summary>True once every enclave has started at least once.</summary>
    bool IsWarm { get; }

    bool IsSimulated { get; }

    /// <summary>Restarts of all enclaves since the worker started.</summary>
    int Restarts { get; }

    /// <summary>Enclaves whose runner waits for the fleet's sealing keys to be released (<c>Tee:SealingKeySource=Release</c>).</summary>
    int AwaitingSealingKey { get; }

    Task<EnclaveResult> ExecuteAsync(EnclaveJob job, CancellationToken cancellationToken);
}
