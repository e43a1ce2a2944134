using NeoWorker.Enclave.Protocol;

namespace NeoWorker.Enclave.Tests;

/// <summary>A backend's launcher, with variables added to the runner's environment (markers, key files for both backends).</summary>
internal sealed class ExtraEnvironmentLauncher(IRunnerLauncher inner, IReadOnlyDictionary<string, string> extra) : IRunnerLauncher
{
    public bool IsSimulated => inner.IsSimulated;

    public RunnerStartInfo Describe(int slot)
    {
        var start = inner.Describe(slot);
        var environment = new Dictionary<string, string>(start.Environment);
        foreach (var (key, value) in extra)
        {
            environment[key] = value;
        }

        return start with { Environment = environment };
    }
}
