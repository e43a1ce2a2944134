namespace NeoWorker.IntegrationTests.Infrastructure;

internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Runner => Environment.GetEnvironmentVariable("NEOWORKER_ENCLAVE_PATH") is { Length: > 0 } path
        ? path
        : Path.Combine(Root, "src", "NeoWorker.Enclave", "runner");

    public static string Migrations => Path.Combine(Root, "migrations", "neoworker.sql");

    /// <summary>The worker built in the same configuration as these tests.</summary>
    public static string WorkerAssembly
    {
        get
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name ?? "Debug";
            return Path.Combine(Root, "src", "NeoWorker.Worker", "bin", configuration, "net10.0", "NeoWorker.Worker.dll");
        }
    }

    /// <summary>The API built in the same configuration as these tests (for its apikey command).</summary>
    public static string ApiAssembly
    {
        get
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name ?? "Debug";
            return Path.Combine(Root, "src", "NeoWorker.Api", "bin", configuration, "net10.0", "NeoWorker.Api.dll");
        }
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "NeoWorker.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("NeoWorker.sln not found above " + AppContext.BaseDirectory);
    }
}
