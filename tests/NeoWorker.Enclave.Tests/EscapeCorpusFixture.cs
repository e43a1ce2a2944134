using System.Security.Cryptography;
using NeoWorker.Contracts;

namespace NeoWorker.Enclave.Tests;

/// <summary>
/// One real enclave per backend for the whole corpus, holding the keys a deployment's runner holds and a marker
/// variable in its environment, and the fingerprint of a fresh enclave's globals taken before any attempt.
/// </summary>
public sealed class EscapeCorpusFixture : IAsyncLifetime
{
    public const string MarkerVariable = "NEOWORKER_ESCAPE_MARKER";

    private readonly SemaphoreSlim _sync = new(1, 1);
    private readonly Dictionary<Backend, (EnclaveUnderTest Enclave, string Baseline)> _enclaves = [];

    public TestKeys Keys { get; } = new();

    /// <summary>The value of <see cref="MarkerVariable"/> in the runner's environment.</summary>
    public string HostMarker { get; } = "host-marker-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8));

    /// <summary>The victim job's secret.</summary>
    public string Secret { get; } = "victim-secret-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8));

    internal CapturingLogger<RunnerEnclave> Logger { get; } = new();

    /// <summary>Everything that must never show up in an attempt's outcome or in the enclave's log.</summary>
    public IReadOnlyList<(string What, string Marker)> Markers =>
        [("ESCAPED", "ESCAPED"), ("the runner's marker variable", HostMarker), ("the victim's secret", Secret),
            .. Keys.PrivateKeyLines.Select(line => ("a line of a private key file", line))];

    internal async Task<(EnclaveUnderTest Enclave, string Baseline)> EnclaveAsync(Backend backend)
    {
        await _sync.WaitAsync();
        try
        {
            if (!_enclaves.TryGetValue(backend, out var entry))
            {
                var environment = new Dictionary<string, string>(Keys.Environment) { [MarkerVariable] = HostMarker };
                var enclave = EnclaveUnderTest.Real(backend, Logger, environment, configure: tee =>
                {
                    // As in production: the watchdog's grace also covers the runner's check for a thread left
                    // spinning (up to 0.7 s), which a loaded machine stretches.
                    tee.WatchdogGraceMs = 3000;
                    tee.Limits.MaxResultBytes = 1024 * 1024;
                    tee.Limits.MaxLogBytes = 64 * 1024;
                });
                await enclave.StartAsync();
                var pristine = await enclave.RunAsync(EscapeAttempt.Pristine);
                Assert.Equal(JobStatuses.Succeeded, pristine.Status);
                entry = (enclave, pristine.Result!);
                _enclaves[backend] = entry;
            }

            return entry;
        }
        finally
        {
            _sync.Release();
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var (enclave, _) in _enclaves.Values)
        {
            await enclave.DisposeAsync();
        }

        Keys.Dispose();
    }
}
