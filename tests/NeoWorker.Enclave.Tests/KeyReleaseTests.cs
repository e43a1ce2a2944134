using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using NeoWorker.Attestation.Proofs;
using NeoWorker.Attestation.Quotes;
using NeoWorker.Attestation.Sealing;
using NeoWorker.Contracts;
using NeoWorker.Enclave.Configuration;

namespace NeoWorker.Enclave.Tests;

/// <summary>
/// The sealing-key release end to end, through real runner processes with simulated attestation: a runner that holds no
/// key asks for it (its request, bound to its quote, written to Tee:KeyRelease:RequestDirectory), the operator's C#
/// release (SealingKeyReleaser, what ops/release_sealing_key.sh runs) answers, the runner opens sealed secrets in a job,
/// and a restart of the same slot reads the stored key without a new release. On Occlum only the evidence (SGX quote)
/// and the store (the enclave's encrypted file system) differ.
/// </summary>
public sealed class KeyReleaseTests(ITestOutputHelper output) : IDisposable
{
    // The simulated runner's MRSIGNER (attest.js): SHA-256 of UTF-8 "neoworker-simulation-signer".
    private static readonly string SimulatedMrSigner =
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("neoworker-simulation-signer"u8));

    private readonly TestKeys _keys = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("neoworker-key-release-").FullName;
    private readonly CapturingLogger<RunnerEnclave> _log = new() { Output = output };

    private string Requests => Path.Combine(_directory, "requests");

    [Fact]
    public async Task A_runner_without_a_key_asks_gets_it_released_opens_sealed_secrets_and_after_a_restart_reads_it_back()
    {
        var slot = EnclaveUnderTest.NextSlot();
        await using (var enclave = EnclaveUnderTest.Real(slot, _log, Release))
        {
            await enclave.StartAsync();
            Assert.True(enclave.Enclave.AwaitsSealingKey);
            var plain = await enclave.RunAsync(JobCode.Seed, JobCode.SeedInput);
            Assert.Equal(JobStatuses.Succeeded, plain.Status); // jobs without secrets do not wait for the key

            var waiting = enclave.RunAsync(SecretJob());
            var request = await WaitForFileAsync(RequestFile(slot));
            Assert.False(waiting.IsCompleted, "a job with sealed secrets waits for the release");

            var verdict = ReleaseFor(request);
            Assert.True(verdict.IsReleased, verdict.FailureReason);
            Assert.True(verdict.IsSimulated);
            await File.WriteAllTextAsync(ReleaseFile(slot), verdict.Envelope);

            var result = await waiting;
            Assert.True(result.Status == JobStatuses.Succeeded, $"{result.ErrorCode}: {result.Error}");
            Assert.Equal("\"marker-7f3a\"", result.Result);
            Assert.False(enclave.Enclave.AwaitsSealingKey);
            Assert.False(File.Exists(RequestFile(slot)), "a request answered is removed");
            Assert.False(File.Exists(ReleaseFile(slot)));
            Assert.True(File.Exists(Path.Combine(StoreDirectory(slot), "sealing-keys.json")));
        }

        await using (var restarted = EnclaveUnderTest.Real(slot, _log, Release))
        {
            await restarted.StartAsync();
            Assert.False(restarted.Enclave.AwaitsSealingKey, "the stored key was read back");

            var result = await restarted.RunAsync(SecretJob());

            Assert.True(result.Status == JobStatuses.Succeeded, $"{result.ErrorCode}: {result.Error}");
            Assert.Equal("\"marker-7f3a\"", result.Result);
            Assert.False(File.Exists(RequestFile(slot)), "no new request after a restart");
        }

        AssertNoPrivateKeyIn(_log.Lines);
        Assert.Contains(_log.Lines, line => line.Contains("restored the released sealing keys", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_release_the_runner_refuses_is_set_aside_and_the_request_stands_for_the_right_one()
    {
        var slot = EnclaveUnderTest.NextSlot();
        await using var enclave = EnclaveUnderTest.Real(slot, _log, Release);
        await enclave.StartAsync();
        var request = await WaitForFileAsync(RequestFile(slot));
        var good = ReleaseFor(request).Envelope!;

        await File.WriteAllTextAsync(ReleaseFile(slot), Tampered(good));
        await WaitForFileAsync(RejectedFile(slot));

        Assert.True(enclave.Enclave.AwaitsSealingKey);
        Assert.Equal(request, await File.ReadAllTextAsync(RequestFile(slot)));
        Assert.Contains(_log.Lines, line => line.Contains("refused the release", StringComparison.Ordinal) && line.Contains("DecryptionFailed", StringComparison.Ordinal));

        await File.WriteAllTextAsync(ReleaseFile(slot), good);
        var result = await enclave.RunAsync(SecretJob());

        Assert.True(result.Status == JobStatuses.Succeeded, $"{result.ErrorCode}: {result.Error}");
    }

    [Fact]
    public async Task A_request_from_an_enclave_the_policy_does_not_pin_is_refused_and_nothing_is_released()
    {
        var slot = EnclaveUnderTest.NextSlot();
        await using var enclave = EnclaveUnderTest.Real(slot, _log, Release);
        await enclave.StartAsync();
        var request = await WaitForFileAsync(RequestFile(slot));

        var verdict = ReleaseFor(request, new QuotePolicy { AllowSimulated = true, AllowedMrEnclaves = [new string('0', 64)] });

        Assert.False(verdict.IsAllowed);
        Assert.Null(verdict.Envelope);
        Assert.Contains("[policy-mrenclave]", verdict.FailureReason, StringComparison.Ordinal);
        Assert.True(enclave.Enclave.AwaitsSealingKey);
    }

    [Fact]
    public async Task A_job_with_secrets_whose_enclave_gets_no_key_in_time_is_handed_back_naming_the_request()
    {
        var slot = EnclaveUnderTest.NextSlot();
        await using var enclave = EnclaveUnderTest.Real(slot, _log, tee =>
        {
            Release(tee);
            tee.KeyRelease.JobWaitSeconds = 1;
        });
        await enclave.StartAsync();

        var error = await Assert.ThrowsAsync<EnclaveUnavailableException>(() => enclave.RunAsync(SecretJob()));

        Assert.Contains(RequestFile(slot), error.Message, StringComparison.Ordinal);
        Assert.Contains("ops/release_sealing_key.sh", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_job_waiting_for_the_key_that_is_canceled_ends_Canceled_without_running()
    {
        var slot = EnclaveUnderTest.NextSlot();
        await using var enclave = EnclaveUnderTest.Real(slot, _log, Release);
        await enclave.StartAsync();
        using var stop = new CancellationTokenSource();
        var waiting = enclave.RunAsync(SecretJob() with { StopRequested = stop.Token });
        await WaitForFileAsync(RequestFile(slot));

        await stop.CancelAsync();
        var result = await waiting;

        Assert.Equal(JobStatuses.Canceled, result.Status);
        Assert.Equal(ErrorCodes.Canceled, result.ErrorCode);
    }

    [Fact]
    public async Task With_new_key_ids_configured_a_restarted_enclave_asks_again_and_then_holds_the_new_and_old_keys()
    {
        var slot = EnclaveUnderTest.NextSlot();
        await using (var enclave = EnclaveUnderTest.Real(slot, _log, Release))
        {
            await enclave.StartAsync();
            await File.WriteAllTextAsync(ReleaseFile(slot), ReleaseFor(await WaitForFileAsync(RequestFile(slot))).Envelope);
            Assert.Equal(JobStatuses.Succeeded, (await enclave.RunAsync(SecretJob())).Status);
        }

        using var newKey = SealingKeyPair.Generate();
        using var oldKey = SealingKeyPair.FromPem(await File.ReadAllTextAsync(_keys.SealingKeyFile));
        await using var rotated = EnclaveUnderTest.Real(slot, _log, tee =>
        {
            Release(tee);
            tee.KeyRelease.KeyIds = [newKey.KeyId, oldKey.KeyId];
        });
        await rotated.StartAsync();
        Assert.True(rotated.Enclave.AwaitsSealingKey, "the stored keys are not the configured set");

        var verdict = ReleaseFor(await WaitForFileAsync(RequestFile(slot)), keys: [newKey, oldKey]);
        await File.WriteAllTextAsync(ReleaseFile(slot), verdict.Envelope);
        var newSecret = new SecretSealer().Seal(newKey.PublicKey, """{"token":"new-key-secret"}""", "user-1", "function-1");
        var withNew = await rotated.RunAsync(SecretJob(newSecret));
        var withOld = await rotated.RunAsync(SecretJob());

        Assert.Equal("\"new-key-secret\"", withNew.Result);
        Assert.Equal("\"marker-7f3a\"", withOld.Result);
    }

    [Fact]
    public async Task On_the_Occlum_backend_an_enclave_whose_measured_environment_requests_its_key_gets_it_the_same_way()
    {
        // The stand-in occlum runs the runner on the host: the variables an HW instance's Occlum.json measures in
        // (NEOWORKER_KEY_RELEASE, NEOWORKER_KEY_STORE=/keys) and its evidence are given as extra environment here.
        var store = Path.Combine(_directory, "occlum-keys");
        var environment = new Dictionary<string, string>
        {
            ["NEOWORKER_KEY_RELEASE"] = "request",
            ["NEOWORKER_KEY_STORE"] = store,
            ["NEOWORKER_SIM_ATTESTATION_KEY_FILE"] = _keys.AttestationKeyFile,
            ["NEOWORKER_SIM_ATTESTATION_CHAIN_FILE"] = _keys.AttestationChainFile,
        };
        await using var enclave = EnclaveUnderTest.Real(Backend.Occlum, _log, environment, configure: tee =>
        {
            tee.SealingKeySource = SealingKeySource.Release;
            tee.KeyRelease.RequestDirectory = Requests;
            tee.KeyRelease.PollMs = 50;
        });
        await enclave.StartAsync();
        var waiting = enclave.RunAsync(SecretJob());

        var verdict = ReleaseFor(await WaitForFileAsync(RequestFile(enclave.Slot)));
        await File.WriteAllTextAsync(ReleaseFile(enclave.Slot), verdict.Envelope);
        var result = await waiting;

        Assert.True(result.Status == JobStatuses.Succeeded, $"{result.ErrorCode}: {result.Error}");
        Assert.Equal("\"marker-7f3a\"", result.Result);
        Assert.True(File.Exists(Path.Combine(store, "sealing-keys.json")));
    }

    private void Release(TeeOptions tee)
    {
        tee.SealingKeySource = SealingKeySource.Release;
        tee.KeyRelease.RequestDirectory = Requests;
        tee.KeyRelease.StoreDirectory = Path.Combine(_directory, "store");
        tee.KeyRelease.PollMs = 50;
        tee.KeyRelease.JobWaitSeconds = 15;
        tee.Simulation.AttestationKeyFile = _keys.AttestationKeyFile;
        tee.Simulation.AttestationChainFile = _keys.AttestationChainFile;
    }

    private string StoreDirectory(int slot) => Path.Combine(_directory, "store", $"slot-{slot}");

    private string RequestFile(int slot) => Path.Combine(Requests, $"slot-{slot}.request.json");

    private string ReleaseFile(int slot) => Path.Combine(Requests, $"slot-{slot}.release.json");

    private string RejectedFile(int slot) => Path.Combine(Requests, $"slot-{slot}.rejected.json");

    private EnclaveJob SecretJob(string? sealedSecrets = null) =>
        EnclaveUnderTest.Job("function main(input, secrets) { return secrets.token; }", timeoutMs: 2000) with
        {
            SealedSecrets = sealedSecrets ?? _keys.Seal("""{"token":"marker-7f3a"}""", "user-1", "function-1"),
        };

    /// <summary>What the operator does (ops/release_sealing_key.sh): trust this deployment's simulation root, pin the simulated signer.</summary>
    private KeyReleaseVerdict ReleaseFor(string requestJson, QuotePolicy? policy = null, IReadOnlyList<SealingKeyPair>? keys = null)
    {
        var chain = new X509Certificate2Collection();
        chain.ImportFromPem(File.ReadAllText(_keys.AttestationChainFile)); // the simulated PCK, then the simulation root
        var trust = new ProofTrust(IntelSgx.LoadRootCa(), chain[^1], null,
            policy ?? new QuotePolicy { AllowSimulated = true, AllowedMrSigners = [SimulatedMrSigner] });
        if (keys is not null)
        {
            return new SealingKeyReleaser().Release(requestJson, keys, trust);
        }

        using var sealing = SealingKeyPair.FromPem(File.ReadAllText(_keys.SealingKeyFile));
        return new SealingKeyReleaser().Release(requestJson, [sealing], trust);
    }

    private static string Tampered(string release)
    {
        var fields = JsonNode.Parse(release)!.AsObject();
        var ct = Convert.FromBase64String(fields["ct"]!.GetValue<string>());
        ct[0] ^= 1;
        fields["ct"] = Convert.ToBase64String(ct);
        return fields.ToJsonString();
    }

    private static async Task<string> WaitForFileAsync(string file)
    {
        using var hang = new CancellationTokenSource(EnclaveUnderTest.HangLimit);
        while (!File.Exists(file))
        {
            await Task.Delay(25, hang.Token);
        }

        return await File.ReadAllTextAsync(file, hang.Token);
    }

    private void AssertNoPrivateKeyIn(IEnumerable<string> lines)
    {
        foreach (var keyLine in _keys.PrivateKeyLines)
        {
            Assert.DoesNotContain(lines, line => line.Contains(keyLine, StringComparison.Ordinal));
        }
    }

    public void Dispose()
    {
        _keys.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
