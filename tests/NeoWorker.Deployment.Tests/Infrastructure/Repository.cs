namespace NeoWorker.Deployment.Tests.Infrastructure;

/// <summary>Paths in the repository these tests read (found from the test assembly upwards).</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string ComposeFile => Path.Combine(Root, "docker-compose.yml");

    public static string EnvExample => Path.Combine(Root, ".env.example");

    public static string ApiDockerfile => Path.Combine(Root, "docker", "Dockerfile.api");

    public static string WorkerDockerfile => Path.Combine(Root, "docker", "Dockerfile.worker");

    public static string OcclumDockerfile => Path.Combine(Root, "docker", "occlum", "Dockerfile");

    public static string Runner => Path.Combine(Root, "src", "NeoWorker.Enclave", "runner");

    public static string FakeOcclum => Path.Combine(Root, "tests", "NeoWorker.Deployment.Tests", "FakeOcclum");

    public static string File(params string[] parts) => Path.Combine([Root, .. parts]);

    public static string Read(params string[] parts) => System.IO.File.ReadAllText(File(parts));

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(directory.FullName, "NeoWorker.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("NeoWorker.sln not found above " + AppContext.BaseDirectory);
    }
}
