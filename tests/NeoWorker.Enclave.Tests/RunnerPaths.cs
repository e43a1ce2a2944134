namespace NeoWorker.Enclave.Tests;

/// <summary>Where the runners under test live: the real one in the source tree, the fakes next to the test assembly.</summary>
internal static class RunnerPaths
{
    public const string EnclavePathVariable = "NEOWORKER_ENCLAVE_PATH";

    private static readonly Lazy<string> RealRunnerDirectory = new(LocateRealRunner);

    /// <summary>The real JavaScript runner, with its dependencies installed; throws (failing the test) when they are not.</summary>
    public static string RealRunner => RealRunnerDirectory.Value;

    /// <summary>A runner that misbehaves on purpose: <c>FakeRunners/&lt;name&gt;</c>, holding <c>src/index.js</c>.</summary>
    public static string FakeRunner(string name) => Path.Combine(AppContext.BaseDirectory, "FakeRunners", name);

    private static string LocateRealRunner()
    {
        var directory = Environment.GetEnvironmentVariable(EnclavePathVariable) is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : Path.Combine(FindRepositoryRoot(), "src", "NeoWorker.Enclave", "runner");

        var isolatedVm = Path.Combine(directory, "node_modules", "isolated-vm");
        if (!Directory.Exists(isolatedVm))
        {
            throw new InvalidOperationException(
                $"The enclave runner in '{directory}' has no dependencies installed ('{isolatedVm}' is missing). "
                + $"Run ops/up.sh, or 'npm ci' in '{directory}', then run these tests again.");
        }

        return directory;
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "NeoWorker.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException(
            $"No folder above '{AppContext.BaseDirectory}' holds NeoWorker.sln; set {EnclavePathVariable} to the runner directory "
            + "(src/NeoWorker.Enclave/runner, after 'npm ci' there).");
    }
}
