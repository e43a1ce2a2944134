using NeoWorker.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace NeoWorker.IntegrationTests.Faults;

/// <summary>
/// Fault 6: SIGTERM in the middle of a stream, then the worker started again. The fault workers have
/// Worker:ShutdownTimeoutSeconds = 2; at the moment of the signal one enclave runs a job that needs about 1 s
/// more (it must finish and publish its event) and the other a job that needs 4.5 s (it must be stopped, handed
/// back and run by the next worker, once).
/// </summary>
[Collection(nameof(FaultsCollection))]
[Trait("Category", FaultsCollection.Category)]
public sealed class GracefulShutdownTests(FaultFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task SIGTERM_lets_running_jobs_finish_within_the_bound_and_returns_the_rest_to_the_queue()
    {
        var startedAt = DateTime.UtcNow;
        var workers = new List<WorkerProcess> { await fixture.StartWorkerAsync() };
        try
        {
            var stream = new JobStream(fixture, "sigterm");
            await fixture.WarmUpAsync();
            var submitting = stream.RunAsync();
            await stream.WaitUntilAcceptedAsync(250, TimeSpan.FromSeconds(60));
            await stream.WaitUntilCompletedAsync(100, TimeSpan.FromSeconds(60));
            var finishes = await stream.SubmitExtraAsync(value: 100_001, busyMs: 1200);
            var outlasts = await stream.SubmitExtraAsync(value: 100_002, busyMs: 4500);
            await WaitUntilStartedAsync(workers[0], finishes.JobId, outlasts.JobId);

            var window = new FaultWindow();
            await window.BeginAsync(fixture, stream);
            var signalledAt = DateTime.UtcNow;
            workers[0].Terminate();
            var exited = await workers[0].WaitForExitAsync(Bound + TimeSpan.FromSeconds(15));
            var stoppedAfter = DateTime.UtcNow - signalledAt;
            Assert.True(exited, $"The worker did not stop within the bound plus 15 s:\n{WorkerLogs.Tail(workers[0])}");
            Assert.Equal(0, workers[0].ExitCode);
            window.End();
            workers.Add(await fixture.StartWorkerAsync());
            await submitting;

            var first = workers[0];
            output.WriteLine($"SIGTERM to exit: {stoppedAfter.TotalSeconds:0.0} s (bound {Bound.TotalSeconds:0} s)");
            Assert.Equal(1, WorkerLogs.Count(first, "Stopping: no new messages"));
            Assert.True(WorkerLogs.Stored(first).Contains(finishes.JobId), $"Job {finishes.JobId} should have finished during the drain:\n{WorkerLogs.Tail(first)}");
            Assert.True(WorkerLogs.Count(first, $"Job {outlasts.JobId} handed back to the queue") == 1,
                $"Job {outlasts.JobId} should have been handed back at the bound:\n{WorkerLogs.Tail(first)}");
            Assert.True(stoppedAfter >= Bound, $"The worker stopped after {stoppedAfter}, before the bound: it did not wait for the running jobs.");

            var figures = await StreamCheck.VerifyAsync(fixture, "6. SIGTERM (graceful, bound 2 s), started again", stream, window, workers,
                startedAt, TimeSpan.FromSeconds(90));
            output.WriteLine(FaultReport.Row(figures));
            Assert.True(WorkerLogs.Stored(workers[1]).Contains(outlasts.JobId), "The handed-back job should have run on the next worker.");
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
    public async Task A_shutdown_bound_out_of_range_stops_the_worker_at_start_naming_the_setting()
    {
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => fixture.StartWorkerAsync(("Worker__ShutdownTimeoutSeconds", "0")));

        Assert.Contains("ShutdownTimeoutSeconds", refused.Message, StringComparison.Ordinal);
    }

    private static async Task WaitUntilStartedAsync(WorkerProcess worker, params Guid[] jobIds)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!jobIds.All(id => WorkerLogs.Count(worker, $"Job {id} of ") > 0))
        {
            Assert.True(DateTime.UtcNow < deadline, $"The slow jobs did not start within 30 s:\n{WorkerLogs.Tail(worker)}");
            await Task.Delay(20);
        }
    }
}
