using Microsoft.Extensions.Options;
using NeoWorker.Enclave.Configuration;
using NeoWorker.Enclave.Simulation;

namespace NeoWorker.Enclave.Tests;

/// <summary>
/// One <see cref="RunnerEnclave"/> on the simulation backend, with small limits and a slot number of
/// its own, so its runner process can be told apart from every other test's.
/// </summary>
internal sealed class EnclaveUnderTest : IAsyncDisposable
{
    /// <summary>A test that hangs fails with a cancellation instead.</summary>
    public static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(20);

    // The pool tests use slots 0 and up; single enclaves stay well clear of them.
    private static int lastSlot = 1000;

    private EnclaveUnderTest(string enclavePath, ITestOutputHelper output, Action<TeeOptions>? configure)
    {
        Slot = Interlocked.Increment(ref lastSlot);
        Tee = DefaultOptions(enclavePath);
        configure?.Invoke(Tee);
        Enclave = new RunnerEnclave(Slot, new SimulationRunnerLauncher(Options.Create(Tee)), Tee,
            new TestOutputLogger<RunnerEnclave>(output));
    }

    public int Slot { get; }

    public TeeOptions Tee { get; }

    public RunnerEnclave Enclave { get; }

    /// <summary>The runner process of this enclave; fails unless there is exactly one.</summary>
    public int ProcessId => Assert.Single(RunnerProcesses.OfSlot(Slot));

    public static EnclaveUnderTest Real(ITestOutputHelper output, Action<TeeOptions>? configure = null) =>
        new(RunnerPaths.RealRunner, output, configure);

    public static EnclaveUnderTest Fake(string name, ITestOutputHelper output, Action<TeeOptions>? configure = null) =>
        new(RunnerPaths.FakeRunner(name), output, configure);

    public static TeeOptions DefaultOptions(string enclavePath) => new()
    {
        Type = TeeType.Simulation,
        AllowSimulation = true,
        EnclavePath = enclavePath,
        Workers = 1,
        StartTimeoutSeconds = 10,
        WatchdogGraceMs = 1500,
        Occlum = { MaxMemoryMB = 512 },
        Limits = { JobMemoryMB = 32, MaxResultBytes = 64 * 1024, MaxLogBytes = 16 * 1024 },
    };

    public static EnclaveJob Job(string code, string? input = null, int timeoutMs = 1000) =>
        new($"job-{Guid.NewGuid():N}", code, input, null, null, "user-1", "function-1", timeoutMs);

    public async Task StartAsync()
    {
        using var hang = new CancellationTokenSource(HangLimit);
        await Enclave.StartAsync(hang.Token);
    }

    public async Task<EnclaveResult> RunAsync(string code, string? input = null, int timeoutMs = 1000)
    {
        using var hang = new CancellationTokenSource(HangLimit);
        return await Enclave.ExecuteAsync(Job(code, input, timeoutMs), hang.Token);
    }

    public ValueTask DisposeAsync() => Enclave.DisposeAsync();
}
