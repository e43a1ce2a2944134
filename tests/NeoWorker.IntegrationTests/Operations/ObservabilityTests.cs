using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using NeoWorker.IntegrationTests.Infrastructure;

namespace NeoWorker.IntegrationTests.Operations;

[Collection(nameof(ServicesCollection))]
public sealed class ObservabilityTests(ServicesFixture services)
{
    private static readonly HttpClient Plain = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task The_api_and_the_worker_expose_prometheus_metrics_of_the_jobs_they_handled()
    {
        var job = await new JobsApi(services.CreateClient(services.Tenant)).SubmitAndWaitAsync(JobsApi.Request(Functions.Seed, Functions.SeedInput));
        Assert.Equal("Succeeded", (string?)job["status"]);

        var api = await services.CreateClient(null).GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        Assert.StartsWith("text/plain", api.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        var apiText = await api.Content.ReadAsStringAsync();
        Assert.True(Value(apiText, "neoworker_jobs_accepted_total") >= 1, apiText);
        Assert.Contains("# TYPE neoworker_jobs_accepted_total counter", apiText, StringComparison.Ordinal);

        var workerText = await Plain.GetStringAsync(new Uri(services.WorkerUrl, "/metrics"));
        Assert.True(Value(workerText, "neoworker_jobs_completed_total{status=\"Succeeded\"}") >= 1, workerText);
        Assert.Contains("# TYPE neoworker_job_execution_duration_seconds histogram", workerText, StringComparison.Ordinal);
        Assert.True(Value(workerText, "neoworker_job_execution_duration_seconds_bucket{status=\"Succeeded\",le=\"+Inf\"}") >= 1, workerText);
        Assert.True(Value(workerText, "neoworker_job_queue_wait_seconds_count") >= 1, workerText);
        Assert.Contains("neoworker_messages_retried_total", workerText, StringComparison.Ordinal);
        Assert.Contains("neoworker_messages_faulted_total", workerText, StringComparison.Ordinal);
        Assert.True(Value(workerText, "process_resident_memory_bytes") > 0, workerText);
    }

    [Fact]
    public async Task The_worker_reports_live_and_ready_with_a_warm_enclave_pool()
    {
        Assert.Equal(HttpStatusCode.OK, (await Plain.GetAsync(new Uri(services.WorkerUrl, "/health/live"))).StatusCode);
        var ready = await Plain.GetAsync(new Uri(services.WorkerUrl, "/health/ready"));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await services.CreateClient(null).GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_endpoints_and_the_api_key()
    {
        var document = JsonNode.Parse(await services.CreateClient(null).GetStringAsync("/openapi/v1.json"))!;

        var paths = document["paths"]!.AsObject();
        foreach (var path in new[] { "/api/v1/functions/execute-javascript", "/api/v1/jobs", "/api/v1/jobs/stats", "/api/v1/jobs/{jobId}",
                     "/api/v1/jobs/{jobId}/cancel", "/api/v1/me", "/api/v1/tee/info", "/api/v1/attestation/verify", "/api/v1/secrets" })
        {
            Assert.True(paths.ContainsKey(path), $"{path} missing from {string.Join(", ", paths.Select(p => p.Key))}");
        }

        Assert.Equal("X-Api-Key", (string?)document["components"]!["securitySchemes"]!["ApiKey"]!["name"]);
    }

    [Fact]
    public async Task A_correlation_id_follows_the_job_from_the_request_to_the_worker_log()
    {
        var correlationId = $"it-corr-{Guid.NewGuid():N}";
        var client = services.CreateClient(services.Tenant);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/functions/execute-javascript?wait=20")
        {
            Content = JsonContent.Create(JobsApi.Request(Functions.Seed, Functions.SeedInput)),
        };
        request.Headers.Add("X-Correlation-Id", correlationId);

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(correlationId, response.Headers.GetValues("X-Correlation-Id").Single());
        var jobId = (string)(await JobsApi.ReadObjectAsync(response))["jobId"]!;
        var job = await new JobsApi(client).GetAsync($"/api/v1/jobs/{jobId}");
        Assert.Equal(correlationId, (string?)job["correlationId"]);
        Assert.Contains(services.Worker.Output.Split('\n'), line => line.Contains(correlationId, StringComparison.Ordinal)
            && line.Contains(jobId, StringComparison.Ordinal));

        // A request without one gets a fresh id; a malformed one is replaced, not echoed.
        using var hostile = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        hostile.Headers.TryAddWithoutValidation("X-Correlation-Id", "bad id\"with<chars>");
        var answered = (await client.SendAsync(hostile)).Headers.GetValues("X-Correlation-Id").Single();
        Assert.Matches("^[0-9a-f]{32}$", answered);
    }

    private static double Value(string exposition, string series)
    {
        var line = exposition.Split('\n').FirstOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        return line is null ? double.NaN : double.Parse(line[(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }
}
