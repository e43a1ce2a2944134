namespace NeoWorker.Enclave.Protocol;

/// <summary>A backend: how the runner process of enclave number <c>slot</c> is started.</summary>
internal interface IRunnerLauncher
{
    bool IsSimulated { get; }

    RunnerStartInfo Describe(int slot);
}
