using NeoWorker.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace NeoWorker.IntegrationTests.Faults;

/// <summary>
/// Faults 1 and 2: a worker process dies with SIGKILL in the middle of a stream of 1,000 jobs. Its prefetched
/// commands go back to the queue with the connection; the jobs it was running stay Running under its lease
/// (5.5 s here) and are handed back to the queue by the lease sweeper when it passes.
/// </summary>
[Collection(nameof(FaultsCollection))]
[Trait("Category", FaultsCollection.Category)]
public sealed class WorkerCrashTests(FaultFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task A_worker_killed_mid_stream_and_started_again_loses_no_job()
    {
        var startedAt = DateTime.UtcNow;
        var workers = new List<WorkerProcess> { await fixture.StartWorkerAsync() };
        try
        {
            var stream = new JobStream(fixture, "worker-sigkill");
            await fixture.WarmUpAsync();
            var submitting = stream.RunAsync();
            await stream.WaitUntilAcceptedAsync(250, TimeSpan.FromSeconds(60));
            await stream.WaitUntilCompletedAsync(100, TimeSpan.FromSeconds(60));

            var window = new FaultWindow();
            await window.BeginAsync(fixture, stream);
            await workers[0].KillAsync();
            window.End(); // the replacement is launched at once; its start-up is part of the recovery
            await window.HeldByKilledAsync(fixture, stream, workers[0]);
            workers.Add(await fixture.StartWorkerAsync());
            await submitting;

            var figures = await StreamCheck.VerifyAsync(fixture, "1. worker killed (SIGKILL), started again", stream, window, workers,
                startedAt, TimeSpan.FromSeconds(90));
            output.WriteLine(FaultReport.Row(figures));
        }
        finally
        {
            foreach (var worker in workers)
            {
                await worker.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Of_two_competing_workers_one_killed_the_other_finishes_everything()
    {
        var startedAt = DateTime.UtcNow;
        var workers = new List<WorkerProcess>(await Task.WhenAll(fixture.StartWorkerAsync(), fixture.StartWorkerAsync()));
        try
        {
            var stream = new JobStream(fixture, "competitor-sigkill");
            await fixture.WarmUpAsync();
            var submitting = stream.RunAsync();
            await stream.WaitUntilAcceptedAsync(250, TimeSpan.FromSeconds(60));
            await stream.WaitUntilCompletedAsync(100, TimeSpan.FromSeconds(60));
            Assert.True(WorkerLogs.Count(workers[0], " ran on enclave ") > 0 && WorkerLogs.Count(workers[1], " ran on enclave ") > 0,
                "Both workers should be taking jobs before one is killed.");

            var window = new FaultWindow();
            await window.BeginAsync(fixture, stream);
            await workers[0].KillAsync();
            window.End(); // nothing is restarted: the survivor takes over
            await window.HeldByKilledAsync(fixture, stream, workers[0]);
            await submitting;

            var figures = await StreamCheck.VerifyAsync(fixture, "2. one of two competing workers killed (SIGKILL)", stream, window, workers,
                startedAt, TimeSpan.FromSeconds(90));
            output.WriteLine(FaultReport.Row(figures));
        }
        finally
        {
            foreach (var worker in workers)
            {
                await worker.DisposeAsync();
            }
        }
    }
}
