using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NeoWorker.IntegrationTests.Infrastructure;

/// <summary>The HTTP calls a dashboard or client makes, as plain JSON.</summary>
internal sealed class JobsApi(HttpClient client)
{
    public Task<HttpResponseMessage> SubmitAsync(object body, int? wait = null) =>
        client.PostAsJsonAsync("/api/v1/functions/execute-javascript" + (wait is null ? "" : $"?wait={wait}"), body);

    public async Task<JsonObject> SubmitAndWaitAsync(object body, int wait = 20)
    {
        var response = await SubmitAsync(body, wait);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await ReadObjectAsync(response);
    }

    public async Task<JsonObject> GetAsync(string statusUrl)
    {
        var response = await client.GetAsync(statusUrl);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await ReadObjectAsync(response);
    }

    /// <summary>Polls the status URL as a dashboard would until the job is no longer Queued or Running.</summary>
    public async Task<JsonObject> PollUntilFinishedAsync(string statusUrl, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            var job = await GetAsync(statusUrl);
            var status = (string?)job["status"];
            if (status is not ("Queued" or "Running"))
            {
                return job;
            }

            await Task.Delay(100, deadline.Token);
        }
    }

    public static async Task<JsonObject> ReadObjectAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())?.AsObject()
        ?? throw new JsonException("Empty body");

    public static object Request(string code, string? input = "{}", string functionId = "it_function", string? userId = null,
        int? timeoutMs = null, string? secrets = "{}") =>
        new { code, input, secrets, functionId, userId, timeoutMs };
}
