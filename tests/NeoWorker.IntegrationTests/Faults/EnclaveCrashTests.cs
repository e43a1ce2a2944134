using NeoWorker.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace NeoWorker.IntegrationTests.Faults;

/// <summary>
/// Fault 5: an enclave process killed (SIGKILL) under a running job. The job did not finish, so it is not its
/// result: the worker hands it back and runs it again on the replacement enclave (an infrastructure fault, retried).
/// </summary>
[Collection(nameof(FaultsCollection))]
[Trait("Category", FaultsCollection.Category)]
public sealed class EnclaveCrashTests(FaultFixture fixture, ITestOutputHelper output)
{
    private const string CrashUnderJob = "during a job";

    private static async Task WaitUntilStartedAsync(WorkerProcess worker, Guid jobId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (WorkerLogs.Count(worker, $"Job {jobId} of ") == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Job {jobId} did not start within 30 s:\n{WorkerLogs.Tail(worker)}");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task An_enclave_killed_under_a_job_gets_the_job_run_again_on_its_replacement()
    {
        var startedAt = DateTime.UtcNow;
        var workers = new List<WorkerProcess> { await fixture.StartWorkerAsync() };
        try
        {
            var stream = new JobStream(fixture, "enclave-sigkill");
            await fixture.WarmUpAsync();
            var submitting = stream.RunAsync();
            await stream.WaitUntilAcceptedAsync(250, TimeSpan.FromSeconds(60));
            await stream.WaitUntilCompletedAsync(100, TimeSpan.FromSeconds(60));

            // A job that stays in its enclave for 1.5 s, so the kill surely lands under it; both enclaves are
            // killed (whichever runs it), the other one possibly between two jobs.
            var slow = await stream.SubmitExtraAsync(value: 100_005, busyMs: 1500);
            await WaitUntilStartedAsync(workers[0], slow.JobId);
            await Task.Delay(200);
            var window = new FaultWindow();
            await window.BeginAsync(fixture, stream);
            var killed = EnclaveProcesses.Of(workers[0]);
            killed.ForEach(EnclaveProcesses.Kill);
            window.End();
            await submitting;

            var figures = await StreamCheck.VerifyAsync(fixture, "5. enclave process killed under a job", stream, window, workers,
                startedAt, TimeSpan.FromSeconds(90));
            output.WriteLine($"{killed.Count} enclave processes killed; {WorkerLogs.Count(workers[0], CrashUnderJob)} under a job");
            output.WriteLine(FaultReport.Row(figures));
            Assert.True(WorkerLogs.Count(workers[0], $"Job {slow.JobId} handed back to the queue") == 1,
                $"The job under the killed enclave should have been handed back once:\n{WorkerLogs.Tail(workers[0])}");
            Assert.True(WorkerLogs.Count(workers[0], $"Job {slow.JobId} of ") == 2, "It should have started twice: killed, then run again.");
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
