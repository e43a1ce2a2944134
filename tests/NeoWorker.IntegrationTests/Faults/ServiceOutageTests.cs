using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using NeoWorker.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace NeoWorker.IntegrationTests.Faults;

/// <summary>
/// Faults 3 and 4: RabbitMQ, then PostgreSQL, stopped for a few seconds and started again (ops/services.sh) in
/// the middle of a stream, with the API and the worker running throughout; and what the API answers while
/// PostgreSQL is down.
/// </summary>
[Collection(nameof(FaultsCollection))]
[Trait("Category", FaultsCollection.Category)]
public sealed class ServiceOutageTests(FaultFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task RabbitMQ_stopped_and_started_while_the_API_keeps_accepting_loses_no_job()
    {
        var startedAt = DateTime.UtcNow;
        var workers = new List<WorkerProcess> { await fixture.StartWorkerAsync() };
        try
        {
            var stream = new JobStream(fixture, "rabbitmq-outage");
            await fixture.WarmUpAsync();
            var submitting = stream.RunAsync();
            await stream.WaitUntilAcceptedAsync(250, TimeSpan.FromSeconds(60));
            await stream.WaitUntilCompletedAsync(100, TimeSpan.FromSeconds(60));

            var window = new FaultWindow();
            await window.BeginAsync(fixture, stream);
            var acceptedBefore = stream.AcceptedCount;
            await fixture.Control.StopRabbitMqAsync();
            var apiAcceptedWhileDown = await ApiAcceptsAsync("rabbitmq-outage-probe");
            await Task.Delay(Outage);
            var acceptedWhileDown = stream.AcceptedCount - acceptedBefore;
            await fixture.Control.StartRabbitMqAsync();
            window.End();
            await submitting;

            Assert.True(apiAcceptedWhileDown, "The API should accept (202) while RabbitMQ is down: the job waits in its outbox.");
            output.WriteLine($"{acceptedWhileDown} jobs accepted while RabbitMQ was down");
            var figures = await StreamCheck.VerifyAsync(fixture, "3. RabbitMQ stopped, started again", stream, window, workers,
                startedAt, TimeSpan.FromSeconds(120));
            output.WriteLine(FaultReport.Row(figures));
        }
        finally
        {
            await fixture.EnsureServicesRunAsync();
            foreach (var worker in workers)
            {
                await worker.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task PostgreSQL_stopped_and_started_mid_stream_loses_no_job_and_runs_none_twice()
    {
        var startedAt = DateTime.UtcNow;
        var workers = new List<WorkerProcess> { await fixture.StartWorkerAsync() };
        try
        {
            var stream = new JobStream(fixture, "postgres-outage");
            await fixture.WarmUpAsync();
            var submitting = stream.RunAsync();
            await stream.WaitUntilAcceptedAsync(250, TimeSpan.FromSeconds(60));
            await stream.WaitUntilCompletedAsync(100, TimeSpan.FromSeconds(60));

            var window = new FaultWindow();
            await window.BeginAsync(fixture, stream);
            await fixture.Control.StopPostgresAsync();
            await Task.Delay(Outage);
            await fixture.Control.StartPostgresAsync();
            window.End();
            await submitting;

            var figures = await StreamCheck.VerifyAsync(fixture, "4. PostgreSQL stopped, started again", stream, window, workers,
                startedAt, TimeSpan.FromSeconds(120));
            output.WriteLine(FaultReport.Row(figures));
        }
        finally
        {
            await fixture.EnsureServicesRunAsync();
            foreach (var worker in workers)
            {
                await worker.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task While_PostgreSQL_is_down_the_API_answers_503_with_Retry_After_and_records_nothing()
    {
        const string functionId = "faults-unavailable";
        using var known = fixture.CreateApiClient();
        // This key's lookup is cached by the API (it was just used); the other one's is not, so the API must reach
        // the database to authenticate it.
        Assert.Equal(HttpStatusCode.OK, (await known.GetAsync("/api/v1/tee/info")).StatusCode);
        var fresh = await fixture.CreateTenantAsync("faults-fresh");
        using var unknown = fresh.Authorize(new HttpClient { BaseAddress = fixture.Api.BaseAddress, Timeout = TimeSpan.FromSeconds(20) });

        var answers = new List<(string Who, HttpResponseMessage Response, string Body)>();
        await fixture.Control.StopPostgresAsync();
        try
        {
            foreach (var (who, client) in new[] { ("cached key", known), ("uncached key", unknown) })
            {
                var response = await Submit(client, functionId, key: Guid.NewGuid().ToString("N"));
                answers.Add((who, response, await response.Content.ReadAsStringAsync()));
            }

            using var ready = new HttpClient { BaseAddress = fixture.Api.BaseAddress };
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await ready.GetAsync("/health/ready")).StatusCode);
        }
        finally
        {
            await fixture.Control.StartPostgresAsync();
        }

        foreach (var (who, response, body) in answers)
        {
            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{who}: {(int)response.StatusCode} {body}");
            Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, $"{who}: no Retry-After header");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        // Nothing was recorded then, and nothing turns up once the database is back (nothing was buffered either).
        await Task.Delay(TimeSpan.FromSeconds(2));
        await using var db = fixture.CreateDb();
        Assert.Equal(0, await db.Jobs.CountAsync(j => j.FunctionId == functionId));
    }

    private async Task<bool> ApiAcceptsAsync(string functionId)
    {
        using var client = fixture.CreateApiClient();
        using var response = await Submit(client, functionId, Guid.NewGuid().ToString("N"));
        return response.StatusCode == HttpStatusCode.Accepted;
    }

    private static Task<HttpResponseMessage> Submit(HttpClient client, string functionId, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/functions/execute-javascript")
        {
            Content = JsonContent.Create(new { code = "function main() { return 1; }", input = "{}", secrets = "{}", functionId }),
        };
        request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request);
    }
}
