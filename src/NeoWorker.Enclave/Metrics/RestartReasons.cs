namespace NeoWorker.Enclave.Metrics;

/// <summary>The <c>reason</c> tag of <see cref="EnclaveMetrics.RestartsInstrument"/>, also logged with each restart.</summary>
public static class RestartReasons
{
    /// <summary>The runner process exited (during a job or between jobs), or its input was closed.</summary>
    public const string Crashed = "crashed";

    /// <summary>The runner did not answer a job within its time limit plus <c>Tee:WatchdogGraceMs</c>.</summary>
    public const string Unresponsive = "unresponsive";

    /// <summary>The runner wrote a line that is not a protocol message.</summary>
    public const string Protocol = "protocol";

    /// <summary>A job exhausted memory in a way its isolate could not contain; the runner ended itself.</summary>
    public const string Memory = "memory";

    /// <summary>A stopped job's isolate thread kept running; the runner ended itself.</summary>
    public const string Stuck = "stuck";

    /// <summary>A canceled job was not stopped by the runner within <c>Tee:WatchdogGraceMs</c>.</summary>
    public const string Canceled = "canceled";

    /// <summary>The host gave up on a running job (its cancellation token: shutting down).</summary>
    public const string Aborted = "aborted";
}
