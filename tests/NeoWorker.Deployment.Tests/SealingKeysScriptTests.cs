using NeoWorker.Attestation.Sealing;
using NeoWorker.Deployment.Tests.Infrastructure;

namespace NeoWorker.Deployment.Tests;

/// <summary>docker/sealing-keys.js (the compose `keys` service) writes keys the API and the worker can read.</summary>
public sealed class SealingKeysScriptTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("neoworker-keys-").FullName;

    private string PrivateDirectory => Path.Combine(_directory, "private");

    private string PublicDirectory => Path.Combine(_directory, "public");

    public SealingKeysScriptTests()
    {
        Directory.CreateDirectory(PrivateDirectory);
        Directory.CreateDirectory(PublicDirectory);
    }

    [Fact]
    public async Task The_key_pair_it_writes_is_a_sealing_key_pair_with_a_private_key_only_its_owner_reads()
    {
        var result = await RunAsync();

        Assert.True(result.ExitCode == 0, result.Output);
        var privateFile = Path.Combine(PrivateDirectory, "sealing-key.pem");
        using var pair = SealingKeyPair.FromPem(await File.ReadAllTextAsync(privateFile));
        var publicKey = SealingPublicKey.FromPem(await File.ReadAllTextAsync(Path.Combine(PublicDirectory, "sealing-public.pem")));
        Assert.Equal(pair.PublicKey, publicKey);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(privateFile));
        Assert.DoesNotContain(Directory.GetFiles(PublicDirectory), f => File.ReadAllText(f).Contains("PRIVATE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Running_it_again_keeps_the_key()
    {
        Assert.Equal(0, (await RunAsync()).ExitCode);
        var first = await File.ReadAllTextAsync(Path.Combine(PrivateDirectory, "sealing-key.pem"));
        File.Delete(Path.Combine(PublicDirectory, "sealing-public.pem"));

        var again = await RunAsync();

        Assert.Equal(0, again.ExitCode);
        Assert.Equal(first, await File.ReadAllTextAsync(Path.Combine(PrivateDirectory, "sealing-key.pem")));
        using var pair = SealingKeyPair.FromPem(first);
        Assert.Equal(pair.PublicKey, SealingPublicKey.FromPem(await File.ReadAllTextAsync(Path.Combine(PublicDirectory, "sealing-public.pem"))));
    }

    [Fact]
    public async Task A_missing_directory_fails_with_a_message_naming_it()
    {
        var missing = Path.Combine(_directory, "missing");

        var result = await Processes.RunAsync("node", [Repository.File("docker", "sealing-keys.js"), missing, PublicDirectory]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(missing, result.Output, StringComparison.Ordinal);
    }

    private Task<ProcessResult> RunAsync() =>
        Processes.RunAsync("node", [Repository.File("docker", "sealing-keys.js"), PrivateDirectory, PublicDirectory]);

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
