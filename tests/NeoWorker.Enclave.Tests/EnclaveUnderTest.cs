using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NeoWorker.Enclave.Configuration;
using NeoWorker.Enclave.Metrics;
using NeoWorker.Enclave.Occlum;
using NeoWorker.Enclave.Pool;
using NeoWorker.Enclave.Protocol;
using NeoWorker.Enclave.Simulation;

namespace NeoWorker.Enclave.Tests;

/// <summary>
/// One <see cref="RunnerEnclave"/> on either backend, with small limits and a slot number of its own, so its
/// runner process can be told apart from every other test's. The Occlum backend gets a fresh
/// <c>Tee:Occlum:TempDir</c> (its own instance copy) on a shared template of the same runner.
/// </summary>
internal sealed class EnclaveUnderTest : IAsyncDisposable
{
    /// <summary>A test that hangs fails with a cancellation instead.</summary>
    public static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(20);

    // The pool tests use slots 0 and up; single enclaves stay well clear of them.
    private static int lastSlot = 1000;

    private readonly OcclumRunnerLauncher? _occlum;

    private EnclaveUnderTest(Backend backend, string runnerDirectory, ILogger logger, Action<TeeOptions>? configure,
        IReadOnlyDictionary<string, string>? environment, EnclaveMetrics? metrics)
    {
        Backend = backend;
        Slot = NextSlot();
        IRunnerLauncher launcher;
        if (backend == Backend.Occlum)
        {
            var template = OcclumTemplate.For(runnerDirectory);
            Tee = template.Options(template.NewTempDir());
            configure?.Invoke(Tee);
            _occlum = new OcclumRunnerLauncher(Options.Create(Tee));
            launcher = _occlum;
        }
        else
        {
            Tee = DefaultOptions(runnerDirectory);
            configure?.Invoke(Tee);
            launcher = new SimulationRunnerLauncher(Options.Create(Tee));
        }

        if (environment is not null)
        {
            launcher = new ExtraEnvironmentLauncher(launcher, environment);
        }

        Enclave = new RunnerEnclave(Slot, launcher, Tee, logger, metrics);
    }

    public static TheoryData<Backend> Backends => new() { Backend.Simulation, Backend.Occlum };

    /// <summary>
    /// A pool as the worker builds it, but on slots of its own (the worker's slots 0 and up belong to EnclavePoolTests),
    /// so tests running side by side never see each other's runner processes.
    /// </summary>
    public static (EnclavePool Pool, int[] Slots) Pool(TeeOptions tee, ITestOutputHelper output, EnclaveMetrics? metrics = null)
    {
        var launcher = new SimulationRunnerLauncher(Options.Create(tee));
        var logger = new TestOutputLogger<EnclavePool>(output);
        var slots = Enumerable.Range(0, tee.Workers).Select(_ => NextSlot()).ToArray();
        var enclaves = slots.Select(slot => (IEnclave)new RunnerEnclave(slot, launcher, tee, logger, metrics)).ToList();
        return (new EnclavePool(enclaves, logger), slots);
    }

    /// <summary>A slot number no other test uses (their runner processes are told apart by it).</summary>
    public static int NextSlot() => Interlocked.Increment(ref lastSlot);

    public Backend Backend { get; }

    public int Slot { get; }

    public TeeOptions Tee { get; }

    public RunnerEnclave Enclave { get; }

    /// <summary>The Occlum backend's instance copy of this enclave (null on simulation).</summary>
    public string? InstanceDirectory => _occlum?.InstanceDirectory(Slot);

    /// <summary>The runner process of this enclave; fails unless there is exactly one.</summary>
    public int ProcessId => Assert.Single(RunnerProcesses.OfSlot(Slot));

    public static EnclaveUnderTest Real(ITestOutputHelper output, Action<TeeOptions>? configure = null, Backend backend = Backend.Simulation) =>
        new(backend, RunnerPaths.RealRunner, new TestOutputLogger<RunnerEnclave>(output), configure, null, null);

    public static EnclaveUnderTest Fake(string name, ITestOutputHelper output, Action<TeeOptions>? configure = null, Backend backend = Backend.Simulation) =>
        new(backend, RunnerPaths.FakeRunner(name), new TestOutputLogger<RunnerEnclave>(output), configure, null, null);

    /// <summary>A fake runner with its own logger and metrics.</summary>
    public static EnclaveUnderTest Fake(string name, Backend backend, ILogger logger, EnclaveMetrics? metrics, Action<TeeOptions>? configure = null) =>
        new(backend, RunnerPaths.FakeRunner(name), logger, configure, null, metrics);

    /// <summary>The real runner with everything a test may need to see: its own logger, extra variables, metrics.</summary>
    public static EnclaveUnderTest Real(Backend backend, ILogger logger, IReadOnlyDictionary<string, string>? environment = null,
        EnclaveMetrics? metrics = null, Action<TeeOptions>? configure = null) =>
        new(backend, RunnerPaths.RealRunner, logger, configure, environment, metrics);

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

    public async Task<EnclaveResult> RunAsync(EnclaveJob job)
    {
        using var hang = new CancellationTokenSource(HangLimit);
        return await Enclave.ExecuteAsync(job, hang.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await Enclave.DisposeAsync();
        _occlum?.Dispose();
    }
}
