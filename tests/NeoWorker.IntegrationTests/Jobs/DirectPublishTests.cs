using Microsoft.EntityFrameworkCore;
using NeoWorker.Contracts;
using NeoWorker.IntegrationTests.Infrastructure;
using NeoWorker.Persistence.Entities;

namespace NeoWorker.IntegrationTests.Jobs;

/// <summary>Services that publish <see cref="ExecuteJavaScript"/> straight to RabbitMQ, never calling the API.</summary>
[Collection(nameof(ServicesCollection))]
public sealed class DirectPublishTests(ServicesFixture services)
{
    private const string Publisher = "direct-publisher";

    [Fact]
    public async Task A_published_command_produces_a_completion_event_and_a_job_row()
    {
        var command = Command(Functions.Seed, Functions.SeedInput);

        await services.Events.Bus.Publish(command);
        var completed = await services.Events.WaitForAsync(command.JobId, TimeSpan.FromSeconds(30));

        Assert.Equal(JobStatuses.Succeeded, completed.Status);
        Assert.Equal("""{"result":84}""", completed.Result);
        Assert.Equal(command.FunctionId, completed.FunctionId);
        Assert.Equal(Publisher, completed.UserId);
        Assert.True(completed.GasUsed > 0);

        var row = await FindAsync(command.JobId);
        Assert.Equal(JobStatus.Succeeded, row.Status);
        Assert.Equal("""{"result":84}""", row.Result);
        Assert.Equal(1, row.AttemptCount);
        Assert.NotNull(row.EnclaveId);
    }

    [Fact]
    public async Task The_same_command_delivered_twice_runs_once_and_both_events_are_identical()
    {
        var command = Command(Functions.Random, "{}");

        await services.Events.Bus.Publish(command);
        await services.Events.Bus.Publish(command);
        await services.Events.WaitForAsync(command.JobId, TimeSpan.FromSeconds(30));
        var events = await WaitForEventCountAsync(command.JobId, 2, TimeSpan.FromSeconds(60));

        var row = await FindAsync(command.JobId);
        Assert.Equal(1, row.AttemptCount);
        Assert.All(events, e => Assert.Equal(events[0], e));
        Assert.Equal(row.Result, events[0].Result);
        await using var db = services.CreateDb();
        Assert.Equal(1, await db.Jobs.CountAsync(j => j.Id == command.JobId));
    }

    [Fact]
    public async Task A_command_without_code_ends_as_a_failed_job_not_a_crash()
    {
        var command = Command("", "{}");

        await services.Events.Bus.Publish(command);
        var completed = await services.Events.WaitForAsync(command.JobId, TimeSpan.FromSeconds(30));

        Assert.Equal(JobStatuses.Failed, completed.Status);
        Assert.Equal(ErrorCodes.InvalidInput, completed.ErrorCode);
        Assert.Equal(JobStatus.Failed, (await FindAsync(command.JobId)).Status);
    }

    [Fact]
    public async Task Five_hundred_commands_published_at_once_all_finish_with_the_right_results()
    {
        var commands = Enumerable.Range(0, 500)
            .Select(i => Command(Functions.Seed, $$"""{"value":{{i}}}"""))
            .ToList();

        await Task.WhenAll(commands.Select(c => services.Events.Bus.Publish(c)));
        var completions = await Task.WhenAll(commands.Select(c => services.Events.WaitForAsync(c.JobId, TimeSpan.FromSeconds(180))));

        for (var i = 0; i < commands.Count; i++)
        {
            Assert.Equal(JobStatuses.Succeeded, completions[i].Status);
            Assert.Equal($$"""{"result":{{i * 2}}}""", completions[i].Result);
        }

        var ids = commands.Select(c => c.JobId).ToList();
        await using var db = services.CreateDb();
        var rows = await db.Jobs.AsNoTracking().Where(j => ids.Contains(j.Id)).ToListAsync();
        Assert.Equal(500, rows.Count);
        Assert.All(rows, r => Assert.Equal(JobStatus.Succeeded, r.Status));
        Assert.All(rows, r => Assert.Equal(1, r.AttemptCount));
    }

    private static ExecuteJavaScript Command(string code, string input) =>
        new(Guid.NewGuid(), code, input, SealedSecrets: null, "direct_function", Publisher, TimeoutMs: null, DateTimeOffset.UtcNow);

    private async Task<Job> FindAsync(Guid jobId)
    {
        await using var db = services.CreateDb();
        return await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == jobId);
    }

    private async Task<IReadOnlyList<JavaScriptExecutionCompleted>> WaitForEventCountAsync(Guid jobId, int count, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (services.Events.EventsFor(jobId).Count < count)
        {
            await Task.Delay(50, deadline.Token);
        }

        return services.Events.EventsFor(jobId);
    }
}
