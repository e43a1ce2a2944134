namespace NeoWorker.Enclave.Tests;

/// <summary>One limit of the issue: a job that breaks it, and what the enclave must answer.</summary>
internal sealed record LimitCase(string Name, string Code, string Status, string? ErrorCode, int TimeoutMs = 1000)
{
    public string? Input { get; init; }

    /// <summary>Plain secrets JSON, sealed for the job by the test.</summary>
    public string? Secrets { get; init; }

    /// <summary>
    /// The runner may be replaced after this job: tearing down a large isolate can keep a thread busy long enough for
    /// the runner to judge it stuck (sandbox.js, SPIN_WINDOWS_MS) on a loaded machine. The next job is clean either way.
    /// </summary>
    public bool MayRestart { get; init; }

    /// <summary>A further check on the result.</summary>
    public Action<EnclaveResult>? Check { get; init; }

    public override string ToString() => Name;
}
