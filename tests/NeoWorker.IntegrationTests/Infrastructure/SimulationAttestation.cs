using NeoWorker.Attestation.Quotes;

namespace NeoWorker.IntegrationTests.Infrastructure;

/// <summary>This run's simulation root and simulated PCK, in files for the worker (key, chain) and the API (root).</summary>
internal sealed class SimulationAttestation : IDisposable
{
    private readonly string _directory;

    private SimulationAttestation(string directory, SimulationRoot root, SimulatedPck pck)
    {
        _directory = directory;
        Root = root;
        RootFile = Write("sim-root.pem", root.CertificatePem);
        PckKeyFile = Write("sim-pck-key.pem", pck.PrivateKeyPem);
        PckChainFile = Write("sim-pck-chain.pem", pck.CertificateChainPem);
    }

    public SimulationRoot Root { get; }

    public string RootFile { get; }

    public string PckKeyFile { get; }

    public string PckChainFile { get; }

    public static SimulationAttestation Create()
    {
        var now = DateTimeOffset.UtcNow;
        var root = SimulationRoot.Create("integration-tests", now.AddDays(-2), now.AddYears(2));
        var pck = root.IssuePck("integration-tests", now.AddDays(-1), now.AddYears(1));
        var directory = Path.Combine(AppContext.BaseDirectory, "sim-attestation", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new SimulationAttestation(directory, root, pck);
    }

    private string Write(string name, string pem)
    {
        var file = Path.Combine(_directory, name);
        File.WriteAllText(file, pem);
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return file;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
