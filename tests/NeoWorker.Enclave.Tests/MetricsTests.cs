using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NeoWorker.Contracts;
using NeoWorker.Enclave.Metrics;
using NeoWorker.Enclave.Pool;

namespace NeoWorker.Enclave.Tests;

/// <summary>The instruments on the Meter "NeoWorker.Enclave", read with a MeterListener as an exporter reads them.</summary>
public sealed class MetricsTests(ITestOutputHelper output)
{
    [Fact]
    public void AddEnclavePool_registers_the_meter_NeoWorker_Enclave_with_its_four_instruments()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Development", DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Tee:EnclavePath"] = RunnerPaths.RealRunner,
            ["Tee:Workers"] = "1",
        });
        builder.Services.AddEnclavePool(builder.Configuration);
        using var host = builder.Build();
        var factory = host.Services.GetRequiredService<IMeterFactory>();
        var published = new List<string>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name == EnclaveMetrics.MeterName && instrument.Meter.Scope == factory)
                {
                    published.Add($"{instrument.Name} {instrument.GetType().Name} {instrument.Unit}");
                }
            },
        };

        Assert.NotNull(host.Services.GetRequiredService<IEnclavePool>());
        listener.Start(); // publishes the instruments that exist

        Assert.Equal(
            ["neoworker.enclave.job.duration Histogram`1 s", "neoworker.enclave.restarts Counter`1 {restart}",
                "neoworker.enclaves.alive ObservableGauge`1 {enclave}", "neoworker.enclaves.busy ObservableGauge`1 {enclave}"],
            published.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_gauges_count_enclaves_alive_and_busy()
    {
        using var recorder = new MetricRecorder();
        var tee = EnclaveUnderTest.DefaultOptions(RunnerPaths.RealRunner);
        tee.Workers = 2;
        var (pool, slots) = EnclaveUnderTest.Pool(tee, output, recorder.Metrics);
        using var hang = new CancellationTokenSource(EnclaveUnderTest.HangLimit);
        Assert.Equal(0, recorder.Observe(EnclaveMetrics.AliveInstrument));

        await using (pool)
        {
            await pool.StartAsync(hang.Token);
            Assert.Equal(2, recorder.Observe(EnclaveMetrics.AliveInstrument));
            Assert.Equal(0, recorder.Observe(EnclaveMetrics.BusyInstrument));

            var running = pool.ExecuteAsync(EnclaveUnderTest.Job(JobCode.InfiniteLoop, timeoutMs: 800), hang.Token);
            await Task.Delay(300);
            Assert.Equal(1, recorder.Observe(EnclaveMetrics.BusyInstrument));
            await running;
            Assert.Equal(0, recorder.Observe(EnclaveMetrics.BusyInstrument));

            var killed = Assert.Single(RunnerProcesses.OfSlot(slots[0]));
            RunnerProcesses.Kill(killed);
            await RunnerProcesses.WaitUntilGoneAsync(killed, TimeSpan.FromSeconds(5));
            Assert.Equal(1, recorder.Observe(EnclaveMetrics.AliveInstrument));

            await Task.WhenAll(pool.ExecuteAsync(EnclaveUnderTest.Job(JobCode.Seed, JobCode.SeedInput), hang.Token),
                pool.ExecuteAsync(EnclaveUnderTest.Job(JobCode.Seed, JobCode.SeedInput), hang.Token));
            Assert.Equal(2, recorder.Observe(EnclaveMetrics.AliveInstrument));
        }

        Assert.Equal(0, recorder.Observe(EnclaveMetrics.AliveInstrument));
    }

    [Fact]
    public async Task Job_durations_are_recorded_in_seconds_by_status()
    {
        using var recorder = new MetricRecorder();
        await using var enclave = EnclaveUnderTest.Real(Backend.Simulation, new TestOutputLogger<RunnerEnclave>(output), metrics: recorder.Metrics);
        await enclave.StartAsync();

        await enclave.RunAsync(JobCode.Seed, JobCode.SeedInput);
        await enclave.RunAsync(JobCode.InfiniteLoop, timeoutMs: 300);

        var succeeded = Assert.Single(recorder.Of(EnclaveMetrics.JobDurationInstrument, EnclaveMetrics.StatusTag, JobStatuses.Succeeded));
        Assert.InRange(succeeded.Value, 0.0001, 5);
        var timedOut = Assert.Single(recorder.Of(EnclaveMetrics.JobDurationInstrument, EnclaveMetrics.StatusTag, JobStatuses.TimedOut));
        Assert.InRange(timedOut.Value, 0.3, 5);
    }

    public static TheoryData<string, string, string, int> RestartCases => new()
    {
        // fake runner, job, reason, the job's stop after (ms; 0 = never)
        { "silent", JobCode.Seed, RestartReasons.Unresponsive, 0 },
        { "crashing", JobCode.Seed, RestartReasons.Crashed, 0 },
        { "garbage", JobCode.Seed, RestartReasons.Protocol, 0 },
        { "silent", JobCode.Seed, RestartReasons.Canceled, 200 },
        { "real", "throw { get message() { for (;;) {} }, get stack() { for (;;) {} } };", RestartReasons.Stuck, 0 },
    };

    [Theory]
    [MemberData(nameof(RestartCases))]
    public async Task A_restart_is_counted_with_its_reason_and_logged_with_the_enclave_id(string runner, string code, string reason, int stopAfterMs)
    {
        using var recorder = new MetricRecorder();
        var logger = new CapturingLogger<RunnerEnclave> { Output = output };
        await using var enclave = runner == "real"
            ? EnclaveUnderTest.Real(Backend.Simulation, logger, metrics: recorder.Metrics, configure: tee => tee.WatchdogGraceMs = 3000)
            : EnclaveUnderTest.Fake(runner, Backend.Simulation, logger, recorder.Metrics, tee => tee.WatchdogGraceMs = 1000);
        await enclave.StartAsync();
        using var stop = stopAfterMs > 0 ? new CancellationTokenSource(stopAfterMs) : new CancellationTokenSource();

        await enclave.RunAsync(EnclaveUnderTest.Job(code, JobCode.SeedInput, timeoutMs: 300) with { StopRequested = stop.Token });

        var restart = Assert.Single(recorder.Measurements, m => m.Instrument == EnclaveMetrics.RestartsInstrument);
        Assert.Equal(reason, restart.Tags[EnclaveMetrics.ReasonTag]);
        Assert.Equal(1, restart.Value);
        Assert.Contains(logger.Lines, line => line.Contains($"Enclave {enclave.Enclave.Id} replaced ({reason})", StringComparison.Ordinal));
    }
}
