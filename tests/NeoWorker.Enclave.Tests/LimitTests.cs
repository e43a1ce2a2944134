using NeoWorker.Contracts;
using NeoWorker.Enclave.Configuration;

namespace NeoWorker.Enclave.Tests;

/// <summary>
/// Every per-job limit through a real runner in both backends, each followed by a clean job in the same enclave:
/// the limit's answer, no restart, and nothing of the limit job left for the next.
/// </summary>
public abstract class LimitTests(Backend backend, LimitTests.Fixture fixture, ITestOutputHelper output)
{
    private const int MaxCodeBytes = 4096;
    private const int MaxInputBytes = 4096;
    private const int MaxSecretsBytes = 1024;
    private const int MaxResultBytes = 16 * 1024;
    private const int MaxLogBytes = 8 * 1024;

    // Every limit job that gets to run code first leaves a global behind; the clean job must not see it.
    private const string Leave = "globalThis.leftover = 'from the limit job';";

    private const string CleanJob = "function main(input) { return { result: input.value * 2, leftover: typeof globalThis.leftover }; }";

    private static readonly Dictionary<string, LimitCase> Cases = new LimitCase[]
    {
        new("code size", JobCode.Seed + "//" + new string('x', MaxCodeBytes), JobStatuses.Failed, ErrorCodes.CodeTooLarge),
        new("input size", JobCode.Seed, JobStatuses.Failed, ErrorCodes.InvalidInput)
            { Input = $$"""{"value":1,"pad":"{{new string('x', MaxInputBytes)}}"}""" },
        new("secrets size", "function main(input, secrets) { return secrets; }", JobStatuses.Failed, ErrorCodes.InvalidSecrets)
            { Secrets = $$"""{"token":"{{new string('s', MaxSecretsBytes)}}"}""", Check = r => Assert.DoesNotContain("sss", r.Error, StringComparison.Ordinal) },
        new("result size", Leave + "function main() { return 'x'.repeat(" + MaxResultBytes + "); }", JobStatuses.Failed, ErrorCodes.OutputTooLarge),
        new("log size", Leave + "function main() { for (let i = 0; i < 10000; i++) console.log('line ' + i); return 'done'; }", JobStatuses.Succeeded, null)
            { Check = r => { Assert.True(r.LogsTruncated); Assert.Equal(MaxLogBytes, System.Text.Encoding.UTF8.GetByteCount(r.Logs!)); Assert.Equal("\"done\"", r.Result); } },
        new("memory", Leave + JobCode.MemoryBomb, JobStatuses.Failed, ErrorCodes.MemoryLimit, 10_000),
        new("memory outside the heap (Intl)", Leave + "function main() { const keep = []; for (let i = 0; ; i++) keep.push(new Intl.Collator('en', { sensitivity: i % 2 ? 'base' : 'accent' }), new Intl.Segmenter('en')); }",
            JobStatuses.Failed, ErrorCodes.MemoryLimit, 20_000) { MayRestart = true },
        new("time, a loop", Leave + JobCode.InfiniteLoop, JobStatuses.TimedOut, ErrorCodes.TimedOut, 300),
        new("time, a loop at the top level", Leave + "for (;;) {}", JobStatuses.TimedOut, ErrorCodes.TimedOut, 300),
        new("time, CPU spinning inside a promise", Leave + "async function main() { await null; for (;;) {} }", JobStatuses.TimedOut, ErrorCodes.TimedOut, 300),
        new("time, a microtask spin", Leave + "async function main() { for (;;) await null; }", JobStatuses.TimedOut, ErrorCodes.TimedOut, 300),
        new("time, a then-chain spin", Leave + "function main() { const spin = () => Promise.resolve().then(spin); spin(); return new Promise(() => {}); }",
            JobStatuses.TimedOut, ErrorCodes.TimedOut, 300),
        new("time, a promise that never settles", Leave + "function main() { return new Promise(() => {}); }", JobStatuses.TimedOut, ErrorCodes.TimedOut, 300),
    }.ToDictionary(c => c.Name);

    public static TheoryData<string> Names => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public async Task A_job_over_a_limit_gets_that_limit_s_answer_and_the_next_job_in_the_same_enclave_is_clean(string name)
    {
        var limit = Cases[name];
        fixture.Logger.Output = output;
        var enclave = await fixture.EnclaveAsync(backend);
        var restarts = enclave.Enclave.Restarts;
        var sealedSecrets = limit.Secrets is null ? null : fixture.Keys.Seal(limit.Secrets, "user-1", "function-1");

        var result = await enclave.RunAsync(new EnclaveJob($"limit-{Guid.NewGuid():N}", limit.Code, limit.Input, sealedSecrets, null,
            "user-1", "function-1", limit.TimeoutMs));

        Assert.True(result.Status == limit.Status && result.ErrorCode == limit.ErrorCode,
            $"{name}: {result.Status} {result.ErrorCode} {result.Error} (expected {limit.Status} {limit.ErrorCode})");
        limit.Check?.Invoke(result);
        Assert.True(result.ExecutionTimeMs < limit.TimeoutMs + enclave.Tee.WatchdogGraceMs, $"took {result.ExecutionTimeMs} ms");

        var next = await enclave.RunAsync(CleanJob, JobCode.SeedInput, 5000);
        Assert.Equal(JobStatuses.Succeeded, next.Status);
        Assert.Equal("""{"result":84,"leftover":"undefined"}""", next.Result);
        if (!limit.MayRestart)
        {
            Assert.Equal(restarts, enclave.Enclave.Restarts);
        }
    }

    /// <summary>One enclave per backend with small limits and a sealing key.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        private readonly SemaphoreSlim _sync = new(1, 1);
        private readonly Dictionary<Backend, EnclaveUnderTest> _enclaves = [];

        public TestKeys Keys { get; } = new();

        internal CapturingLogger<RunnerEnclave> Logger { get; } = new();

        internal async Task<EnclaveUnderTest> EnclaveAsync(Backend backend)
        {
            await _sync.WaitAsync();
            try
            {
                if (!_enclaves.TryGetValue(backend, out var enclave))
                {
                    enclave = EnclaveUnderTest.Real(backend, Logger, Keys.Environment, configure: Configure);
                    await enclave.StartAsync();
                    _enclaves[backend] = enclave;
                }

                return enclave;
            }
            finally
            {
                _sync.Release();
            }
        }

        private static void Configure(TeeOptions tee)
        {
            tee.Limits.MaxCodeBytes = MaxCodeBytes;
            tee.Limits.MaxInputBytes = MaxInputBytes;
            tee.Limits.MaxSecretsBytes = MaxSecretsBytes;
            tee.Limits.MaxResultBytes = MaxResultBytes;
            tee.Limits.MaxLogBytes = MaxLogBytes;
        }

        public Task InitializeAsync() => Task.CompletedTask;

        public async Task DisposeAsync()
        {
            foreach (var enclave in _enclaves.Values)
            {
                await enclave.DisposeAsync();
            }

            Keys.Dispose();
        }
    }
}

public sealed class SimulationLimitTests(LimitTests.Fixture fixture, ITestOutputHelper output)
    : LimitTests(Backend.Simulation, fixture, output), IClassFixture<LimitTests.Fixture>;

public sealed class OcclumLimitTests(LimitTests.Fixture fixture, ITestOutputHelper output)
    : LimitTests(Backend.Occlum, fixture, output), IClassFixture<LimitTests.Fixture>;
