using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NeoWorker.Attestation;
using NeoWorker.Contracts;
using NeoWorker.IntegrationTests.Infrastructure;
using NeoWorker.Persistence.Entities;

namespace NeoWorker.IntegrationTests.Faults;

/// <summary>
/// Messages the worker cannot process end in <c>execute-javascript_error</c> with their reason (fault headers and
/// the worker's log) and never stop the consumer; a command whose retries run out ends its job Faulted; a job a
/// dead worker left Running is found by its lease.
/// </summary>
[Collection(nameof(FaultsCollection))]
[Trait("Category", FaultsCollection.Category)]
public sealed class RejectedCommandTests(FaultFixture fixture)
{
    private const string ExecuteJavaScriptType = "urn:message:NeoWorker.Contracts:ExecuteJavaScript";
    private const string MovedToError = "moved from execute-javascript to its error queue";

    [Fact]
    public async Task Malformed_commands_go_to_the_error_queue_with_a_logged_reason_and_the_consumer_carries_on()
    {
        await using var worker = await fixture.StartWorkerAsync();
        await fixture.Queues.PurgeAsync(RabbitQueues.ErrorQueue);
        var skippedBefore = await fixture.Queues.CountAsync(RabbitQueues.SkippedQueue);
        var hugeJobId = Guid.NewGuid();
        var wrongTypeMarker = $"wrong-type-{Guid.NewGuid():N}";

        await fixture.Queues.PublishRawAsync(Envelope(["urn:message:NeoWorker.Contracts:SomethingElse"], new { jobId = Guid.NewGuid(), note = wrongTypeMarker }));
        await fixture.Queues.PublishRawAsync(Encoding.UTF8.GetBytes("{ this is not JSON"));
        await fixture.Queues.PublishRawAsync(Envelope([ExecuteJavaScriptType],
            new { code = "function main() { return 1; }", functionId = "faults-no-id", userId = "faults-direct" }));
        await fixture.Queues.PublishRawAsync(Envelope([ExecuteJavaScriptType],
            new { jobId = hugeJobId, code = new string('x', 10 * 1024 * 1024), functionId = "faults-huge", userId = "faults-direct" }));

        // The consumer is still there: a good command right behind them is processed.
        var good = new ExecuteJavaScript(Guid.NewGuid(), Functions.Seed, Functions.SeedInput, null, "faults-after-poison", "faults-direct", null, DateTimeOffset.UtcNow);
        await fixture.Events.Bus.Publish(good);
        var completed = await fixture.Events.WaitForAsync(good.JobId, TimeSpan.FromSeconds(60));
        Assert.Equal(JobStatuses.Succeeded, completed.Status);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (await fixture.Queues.CountAsync(RabbitQueues.ErrorQueue) < 4 || WorkerLogs.Count(worker, MovedToError) < 4)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Expected 4 messages in {RabbitQueues.ErrorQueue}, {await fixture.Queues.CountAsync(RabbitQueues.ErrorQueue)} there:\n{WorkerLogs.Tail(worker)}");
            await Task.Delay(200);
        }

        var rejected = await fixture.Queues.PeekAsync(RabbitQueues.ErrorQueue, max: 10);
        Assert.Equal(4, rejected.Count);
        AssertRejected(rejected, m => m.BodyStart.Contains(wrongTypeMarker, StringComparison.Ordinal), "MessageNotConsumedException", "SomethingElse");
        AssertRejected(rejected, m => m.BodyStart.StartsWith("{ this is not JSON", StringComparison.Ordinal), "Json", "invalid");
        AssertRejected(rejected, m => m.BodyStart.Contains("faults-no-id", StringComparison.Ordinal), "InvalidCommandException", "JobId");
        AssertRejected(rejected, m => m.BodyLength > 10 * 1024 * 1024, "InvalidCommandException", "MaxCommandBytes");

        var logged = worker.OutputLines.Where(l => l.Contains(MovedToError, StringComparison.Ordinal)).ToList();
        Assert.Contains(logged, l => l.Contains("MessageNotConsumedException", StringComparison.Ordinal));
        Assert.Contains(logged, l => l.Contains("SerializationException", StringComparison.Ordinal));
        Assert.Contains(logged, l => l.Contains("JobId is missing", StringComparison.Ordinal));
        Assert.Contains(logged, l => l.Contains("MaxCommandBytes", StringComparison.Ordinal));
        Assert.DoesNotContain(logged, l => l.Contains("xxxxxxxxxx", StringComparison.Ordinal)); // never the body

        Assert.Equal(skippedBefore, await fixture.Queues.CountAsync(RabbitQueues.SkippedQueue));
        await using var db = fixture.CreateDb();
        Assert.False(await db.Jobs.AnyAsync(j => j.Id == hugeJobId), "A command over Worker:MaxCommandBytes must not be stored.");
    }

    [Fact]
    public async Task A_job_whose_enclave_keeps_dying_ends_Faulted_after_its_retries_and_its_command_sits_in_the_error_queue()
    {
        // An infrastructure fault that does not go away: the enclave is killed under the job at every attempt.
        // With Worker:RetryLimit=1 the command gets two attempts, then it faults: JobFaultRecorder ends the job.
        await using var worker = await fixture.StartWorkerAsync(("Worker__RetryLimit", "1"));
        await fixture.Queues.PurgeAsync(RabbitQueues.ErrorQueue);
        var job = new StreamJob(Guid.NewGuid(), Guid.NewGuid().ToString("N"), 1, ViaApi: false, Fails: false, BusyMs: 3000);
        var command = new ExecuteJavaScript(job.JobId, StreamJob.Code, job.Input, null, "faults-exhausted", "faults-direct",
            FaultFixture.MaxExecutionTimeSeconds * 1000, DateTimeOffset.UtcNow);

        await fixture.Events.Bus.Publish(command);
        foreach (var attempt in new[] { 1, 2 })
        {
            await WaitForLineAsync(worker, $"Job {job.JobId} of faults-direct/faults-exhausted started, attempt {attempt}");
            await Task.Delay(300); // inside its 3 s busy loop
            foreach (var pid in EnclaveProcesses.Of(worker))
            {
                EnclaveProcesses.Kill(pid);
            }
        }

        var completed = await fixture.Events.WaitForAsync(job.JobId, TimeSpan.FromSeconds(60));
        Assert.Equal(JobStatuses.Faulted, completed.Status);
        Assert.Equal("InfrastructureFault", completed.ErrorCode);
        Assert.Contains("EnclaveCrashedException", completed.Error, StringComparison.Ordinal);
        await using var db = fixture.CreateDb();
        var row = await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == job.JobId);
        Assert.Equal(JobStatus.Faulted, row.Status);
        Assert.Equal(completed.Error, row.Error);
        Assert.Equal(2, row.AttemptCount);
        Assert.Empty(WorkerLogs.Executions([worker])[job.JobId]); // never ran to completion
        Assert.Contains(worker.OutputLines, l => l.Contains($"Job {job.JobId} faulted after retries", StringComparison.Ordinal));

        var inError = await fixture.Queues.PeekAsync(RabbitQueues.ErrorQueue, max: 10);
        var message = Assert.Single(inError, m => m.BodyStart.Contains(job.JobId.ToString(), StringComparison.Ordinal));
        Assert.Contains("EnclaveCrashedException", message.Header("MT-Fault-ExceptionType"), StringComparison.Ordinal);
        Assert.Contains("exited", message.Header("MT-Fault-Message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_job_left_Running_by_a_dead_worker_runs_again_once_its_lease_has_passed()
    {
        // No command is left for it anywhere (its worker died after taking it, and the copy redelivered meanwhile
        // was dropped because the claim was still live): the lease sweeper must find it.
        await using var worker = await fixture.StartWorkerAsync();
        var job = new StreamJob(Guid.NewGuid(), Guid.NewGuid().ToString("N"), 21, ViaApi: false, Fails: false, BusyMs: 0);
        var command = new ExecuteJavaScript(job.JobId, StreamJob.Code, job.Input, null, "faults-stuck", "faults-direct", 1000, DateTimeOffset.UtcNow);
        var leaseExpiresAt = await InsertHeldByDeadWorkerAsync(command, TimeSpan.FromSeconds(2));

        var completed = await fixture.Events.WaitForAsync(job.JobId, TimeSpan.FromSeconds(30));

        Assert.Equal(JobStatuses.Succeeded, completed.Status);
        await using var db = fixture.CreateDb();
        var row = await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == job.JobId);
        Assert.Equal(JobStatus.Succeeded, row.Status);
        Assert.Equal(2, row.AttemptCount);
        Assert.True(row.StartedAt >= leaseExpiresAt, $"Run again at {row.StartedAt:O}, before the dead worker's lease passed at {leaseExpiresAt:O}.");
        Assert.Single(WorkerLogs.Executions([worker])[job.JobId]);
        Assert.Contains(worker.OutputLines, l => l.Contains($"Job {job.JobId} lost its lease", StringComparison.Ordinal));
    }

    /// <summary>The row a worker leaves when it dies holding a job: Running, its claim valid for <paramref name="leaseLeft"/>.</summary>
    private async Task<DateTimeOffset> InsertHeldByDeadWorkerAsync(ExecuteJavaScript command, TimeSpan leaseLeft)
    {
        await using var db = fixture.CreateDb();
        var now = DateTimeOffset.UtcNow;
        var leaseExpiresAt = now + leaseLeft;
        db.Jobs.Add(new Job
        {
            Id = command.JobId,
            FunctionId = command.FunctionId,
            UserId = command.UserId,
            Code = command.Code,
            CodeSha256 = ContentHash.Sha256Hex(command.Code),
            Input = command.Input,
            TimeoutMs = command.TimeoutMs,
            Status = JobStatus.Running,
            RequestedAt = now,
            CreatedAt = now,
            DispatchedAt = now,
            StartedAt = now,
            AttemptCount = 1,
            WorkerId = $"dead-worker-{Guid.NewGuid():N}",
            LeaseExpiresAt = leaseExpiresAt,
        });
        await db.SaveChangesAsync();
        return leaseExpiresAt;
    }

    private static async Task WaitForLineAsync(WorkerProcess worker, string fragment)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (WorkerLogs.Count(worker, fragment) == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"No '{fragment}' within 30 s:\n{WorkerLogs.Tail(worker)}");
            await Task.Delay(20);
        }
    }

    private static void AssertRejected(IReadOnlyList<QueuedMessage> messages, Func<QueuedMessage, bool> which, string exceptionType, string reasonFragment)
    {
        var message = Assert.Single(messages, m => which(m));
        var type = message.Header("MT-Fault-ExceptionType");
        var reason = message.Header("MT-Fault-Message");
        Assert.True(type.Contains(exceptionType, StringComparison.Ordinal) && reason.Length > 0 && reason.Contains(reasonFragment, StringComparison.Ordinal),
            $"Expected {exceptionType} naming '{reasonFragment}', the message in the error queue has: {string.Join("; ", message.Headers.Select(h => $"{h.Key}={h.Value}"))}");
    }

    /// <summary>A MassTransit envelope around any message body, as a foreign or broken publisher might send it.</summary>
    private static byte[] Envelope(string[] messageTypes, object message) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        messageId = Guid.NewGuid(),
        messageType = messageTypes,
        message,
        sentTime = DateTime.UtcNow,
    });
}
