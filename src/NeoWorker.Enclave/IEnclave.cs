namespace NeoWorker.Enclave;

/// <summary>One enclave: a long-lived runner process that executes one job at a time.</summary>
public interface IEnclave : IAsyncDisposable
{
    string Id { get; }

    /// <summary>True when this enclave is the host simulation, whose evidence proves nothing.</summary>
    bool IsSimulated { get; }

    /// <summary>Times the enclave process was replaced after it died or stopped answering.</summary>
    int Restarts { get; }

    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Runs one job. A function's failure is a result, not an exception; an exception means the
    /// job could not be run (cancellation, or the enclave could not be started).
    /// </summary>
    Task<EnclaveResult> ExecuteAsync(EnclaveJob job, CancellationToken cancellationToken);
}
