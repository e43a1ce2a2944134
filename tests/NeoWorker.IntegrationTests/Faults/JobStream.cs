using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using NeoWorker.Contracts;
using NeoWorker.IntegrationTests.Infrastructure;

namespace NeoWorker.IntegrationTests.Faults;

/// <summary>
/// A paced stream of jobs, half published straight to RabbitMQ by a separate service (the event ledger's bus),
/// half submitted to the API process, with a few that fail on purpose. A job counts as submitted once it is
/// accepted: the broker confirmed the publish, or the API answered 202. Until then the client retries, as a real
/// one would: the same JobId for a publish, the same Idempotency-Key for the API (after min(Retry-After, 1 s)
/// on a 503), so a retry never makes a second job.
/// </summary>
internal sealed class JobStream(FaultFixture fixture, string scenario, int count = 1000, double perSecond = 50, int concurrency = 16)
{
    private static readonly TimeSpan SubmitDeadline = TimeSpan.FromSeconds(150);
    private readonly ConcurrentDictionary<Guid, StreamJob> _accepted = new();
    private int _next = -1;
    private int _retries;

    /// <summary>Unique per run (job rows of earlier runs stay in the database).</summary>
    public string FunctionId { get; } = $"faults-{scenario}-{Guid.NewGuid().ToString("N")[..8]}";

    public int AcceptedCount => _accepted.Count;

    /// <summary>Submissions that failed (broker or database away) and were repeated.</summary>
    public int Retries => Volatile.Read(ref _retries);

    public IReadOnlyCollection<StreamJob> Accepted => [.. _accepted.Values];

    public async Task RunAsync()
    {
        var started = DateTime.UtcNow;
        using var http = fixture.CreateApiClient();
        var submitters = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Interlocked.Increment(ref _next) is var i && i < count)
            {
                var due = started + TimeSpan.FromSeconds(i / perSecond);
                if (due > DateTime.UtcNow)
                {
                    await Task.Delay(due - DateTime.UtcNow);
                }

                // Every 50th job throws (its own failure: never retried, Failed once); the rest succeed.
                var job = new StreamJob(Guid.NewGuid(), Guid.NewGuid().ToString("N"), i, ViaApi: i % 2 == 1, Fails: i % 50 == 7, BusyMs: 0);
                await SubmitAsync(job, http, started + SubmitDeadline);
            }
        });
        await Task.WhenAll(submitters);
    }

    public async Task WaitUntilAcceptedAsync(int accepted, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (AcceptedCount < accepted)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Only {AcceptedCount} of {accepted} jobs were accepted within {timeout}.");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Waits until this many of the accepted jobs have their completion event: the system is in full swing.</summary>
    public async Task WaitUntilCompletedAsync(int completed, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (_accepted.Keys.Count(fixture.Events.HasEvent) < completed)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Only {_accepted.Keys.Count(fixture.Events.HasEvent)} of the stream's jobs completed within {timeout}, {completed} expected.");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Submits one more job of this stream outside the pacing (a slow one, say); returns it accepted.</summary>
    public async Task<StreamJob> SubmitExtraAsync(int value, int busyMs, bool viaApi = false)
    {
        using var http = fixture.CreateApiClient();
        var job = new StreamJob(Guid.NewGuid(), Guid.NewGuid().ToString("N"), value, viaApi, Fails: false, busyMs);
        return await SubmitAsync(job, http, DateTime.UtcNow + SubmitDeadline);
    }

    private async Task<StreamJob> SubmitAsync(StreamJob job, HttpClient http, DateTime deadline)
    {
        var timeoutMs = job.BusyMs > 0 ? FaultFixture.MaxExecutionTimeSeconds * 1000 : FaultFixture.JobTimeoutMs;
        while (true)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Job {job.Tag} ({(job.ViaApi ? "API" : "direct")}) was not accepted by {deadline:O}.");
            }

            var retryAfter = TimeSpan.FromMilliseconds(250);
            if (job.ViaApi)
            {
                if (await TryPostAsync(job, http, timeoutMs) is { } outcome)
                {
                    if (outcome.JobId is { } jobId)
                    {
                        var accepted = job with { JobId = jobId };
                        _accepted[jobId] = accepted;
                        return accepted;
                    }

                    retryAfter = outcome.RetryAfter;
                }
            }
            else if (await TryPublishAsync(job, timeoutMs))
            {
                _accepted[job.JobId] = job;
                return job;
            }

            Interlocked.Increment(ref _retries);
            await Task.Delay(retryAfter);
        }
    }

    private async Task<bool> TryPublishAsync(StreamJob job, int timeoutMs)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await fixture.Events.Bus.Publish(
                new ExecuteJavaScript(job.JobId, StreamJob.Code, job.Input, SealedSecrets: null, FunctionId, "faults-direct", timeoutMs, DateTimeOffset.UtcNow),
                timeout.Token);
            return true;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return false; // the broker is away (or did not confirm): publish again, same JobId
        }
    }

    /// <returns>null on a transport error; the job id when accepted; else when to try again.</returns>
    private async Task<(Guid? JobId, TimeSpan RetryAfter)?> TryPostAsync(StreamJob job, HttpClient http, int timeoutMs)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/functions/execute-javascript")
        {
            Content = JsonContent.Create(new { code = StreamJob.Code, input = job.Input, secrets = "{}", functionId = FunctionId, timeoutMs }),
        };
        request.Headers.Add("Idempotency-Key", job.Tag);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return null;
        }

        using (response)
        {
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                var body = await JobsApi.ReadObjectAsync(response);
                return (Guid.Parse((string)body["jobId"]!), TimeSpan.Zero);
            }

            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
                return (null, wait < TimeSpan.FromSeconds(1) ? wait : TimeSpan.FromSeconds(1));
            }

            throw new InvalidOperationException(
                $"The API answered {(int)response.StatusCode} to a valid submission: {await response.Content.ReadAsStringAsync()}");
        }
    }
}
