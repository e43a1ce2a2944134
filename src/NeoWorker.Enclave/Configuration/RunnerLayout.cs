namespace NeoWorker.Enclave.Configuration;

/// <summary>Where the runner's entry point sits inside an enclave path.</summary>
public static class RunnerLayout
{
    public const string EntryScript = "src/index.js";

    public static string EntryPoint(string enclavePath) => Path.Combine(enclavePath, EntryScript);
}
