using NeoWorker.Attestation.Sealing;

namespace NeoWorker.IntegrationTests.Infrastructure;

/// <summary>A sealing key pair for one test run, in files readable by this user only, removed afterwards.</summary>
internal sealed class SealingKeys : IDisposable
{
    private readonly string _directory;

    private SealingKeys(SealingKeyPair pair, string directory)
    {
        Pair = pair;
        _directory = directory;
        PrivateKeyFile = Path.Combine(directory, "sealing-key.pem");
        PublicKeyFile = Path.Combine(directory, "sealing-public.pem");
        File.WriteAllText(PrivateKeyFile, pair.ExportPrivateKeyPem());
        File.SetUnixFileMode(PrivateKeyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(PublicKeyFile, pair.PublicKey.ExportPem());
    }

    public SealingKeyPair Pair { get; }

    public string PrivateKeyFile { get; }

    public string PublicKeyFile { get; }

    public static SealingKeys Create()
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "sealing-keys", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new SealingKeys(SealingKeyPair.Generate(), directory);
    }

    public void Dispose()
    {
        Pair.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
