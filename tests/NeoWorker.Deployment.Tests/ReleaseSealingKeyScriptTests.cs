using System.Security.Cryptography;
using NeoWorker.Attestation.Proofs;
using NeoWorker.Attestation.Quotes;
using NeoWorker.Attestation.Sealing;
using NeoWorker.Deployment.Tests.Infrastructure;

namespace NeoWorker.Deployment.Tests;

/// <summary>
/// ops/release_sealing_key.sh (the worker's release-key command), run for real against key requests made as an enclave
/// makes them (a simulated quote binding the enclave key, from a throwaway simulation root): what it releases, to whom,
/// what it refuses and why, and that it never prints a key.
/// </summary>
public sealed class ReleaseSealingKeyScriptTests : IDisposable
{
    private static readonly byte[] MrEnclave = SHA256.HashData("audited runner build"u8);
    private static readonly byte[] MrSigner = SHA256.HashData("fleet signer"u8);

    private readonly string _directory = Directory.CreateTempSubdirectory("neoworker-release-key-").FullName;
    private readonly SimulationRoot _root = SimulationRoot.Create("release-key-test", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    private readonly SimulatedPck _pck;
    private readonly SealingKeyPair _sealing = SealingKeyPair.Generate();

    public ReleaseSealingKeyScriptTests()
    {
        _pck = _root.IssuePck("release-key-test", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(29));
        File.WriteAllText(RootFile, _root.CertificatePem);
        File.WriteAllText(KeyFile, _sealing.ExportPrivateKeyPem());
    }

    private string RootFile => Path.Combine(_directory, "sim-root.pem");

    private string KeyFile => Path.Combine(_directory, "sealing.key");

    [Fact]
    public async Task A_request_from_a_pinned_enclave_gets_a_release_that_only_it_opens()
    {
        using var enclave = Enclave();
        var request = Path.Combine(_directory, "slot-0.request.json");
        await File.WriteAllTextAsync(request, enclave.Request.Serialize());

        var result = await RunAsync("--request", request, "--key", KeyFile, "--mrenclave", Convert.ToHexStringLower(MrEnclave),
            "--simulation-root", RootFile, "--allow-simulated");

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains($"released {_sealing.KeyId} to enclave key {enclave.Request.EnclaveKeyId} (simulated", result.Output, StringComparison.Ordinal);
        var keys = enclave.Open(await File.ReadAllTextAsync(Path.Combine(_directory, "slot-0.release.json")));
        Assert.Equal(_sealing.KeyId, Assert.Single(keys).KeyId);
        keys[0].Dispose();
        foreach (var line in _sealing.ExportPrivateKeyPem().Split('\n').Where(l => l.Length > 16 && !l.StartsWith("-----", StringComparison.Ordinal)))
        {
            Assert.DoesNotContain(line, result.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_request_from_another_enclave_is_refused_naming_the_check_and_nothing_is_written()
    {
        using var enclave = Enclave();
        var request = Path.Combine(_directory, "slot-0.request.json");
        await File.WriteAllTextAsync(request, enclave.Request.Serialize());

        var result = await RunAsync("--request", request, "--key", KeyFile, "--mrenclave", new string('a', 64),
            "--simulation-root", RootFile, "--allow-simulated");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains($"refused {request}", result.Output, StringComparison.Ordinal);
        Assert.Contains("[policy-mrenclave]", result.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_directory, "slot-0.release.json")));
    }

    [Fact]
    public async Task Simulated_evidence_without_allow_simulated_is_refused()
    {
        using var enclave = Enclave();
        var request = Path.Combine(_directory, "slot-0.request.json");
        await File.WriteAllTextAsync(request, enclave.Request.Serialize());

        var result = await RunAsync("--request", request, "--key", KeyFile, "--mrsigner", Convert.ToHexStringLower(MrSigner), "--simulation-root", RootFile);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("[policy-simulated]", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_directory_gets_a_release_for_each_unanswered_request()
    {
        using var first = Enclave();
        using var second = Enclave();
        await File.WriteAllTextAsync(Path.Combine(_directory, "slot-0.request.json"), first.Request.Serialize());
        await File.WriteAllTextAsync(Path.Combine(_directory, "slot-1.request.json"), second.Request.Serialize());
        await File.WriteAllTextAsync(Path.Combine(_directory, "slot-1.release.json"), "answered already");

        var result = await RunAsync("--requests", _directory, "--key", KeyFile, "--mrsigner", Convert.ToHexStringLower(MrSigner),
            "--simulation-root", RootFile, "--allow-simulated");

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Single(first.Open(await File.ReadAllTextAsync(Path.Combine(_directory, "slot-0.release.json")))).Dispose();
        Assert.Equal("answered already", await File.ReadAllTextAsync(Path.Combine(_directory, "slot-1.release.json")));
    }

    [Theory]
    [InlineData("--mrenclave", "--mrenclave or --mrsigner")]
    [InlineData("--simulation-root", "--allow-simulated needs --simulation-root")]
    [InlineData("--key", "--key")]
    public async Task Missing_arguments_are_refused_naming_what_to_give(string left, string message)
    {
        string[] all = ["--request", "r.json", "--key", KeyFile, "--mrenclave", new string('b', 64), "--simulation-root", RootFile, "--allow-simulated"];
        var index = Array.IndexOf(all, left);
        var arguments = all.Where((_, i) => i != index && i != index + 1).ToArray();

        var result = await RunAsync(arguments);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Output, StringComparison.Ordinal);
    }

    /// <summary>An enclave as the runner is one: an enclave key, a simulated quote binding it, and its key request.</summary>
    private KeyReleaseRecipient Enclave()
    {
        using var enclaveKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var q = enclaveKey.ExportParameters(false).Q;
        using var pckKey = ECDsa.Create();
        pckKey.ImportFromPem(_pck.PrivateKeyPem);
        var quote = new SimulatedQuoteBuilder(pckKey, _pck.CertificateChainPem).Build(new SimulatedEnclaveReport
        {
            ReportData = EnclaveKeys.ReportData([0x04, .. q.X!, .. q.Y!]),
            MrEnclave = MrEnclave,
            MrSigner = MrSigner,
            IsvProdId = 1,
            IsvSvn = 1,
        });
        return new KeyReleaseRecipient(enclaveKey, quote);
    }

    private static Task<ProcessResult> RunAsync(params string[] arguments) =>
        Processes.RunAsync("bash", [Repository.File("ops", "release_sealing_key.sh"), .. arguments],
            new Dictionary<string, string> { ["NEOWORKER_WORKER_DLL"] = Path.Combine(AppContext.BaseDirectory, "NeoWorker.Worker.dll") });

    public void Dispose()
    {
        _sealing.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
