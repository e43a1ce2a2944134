using System.Net.Http.Headers;

namespace NeoWorker.IntegrationTests.Infrastructure;

/// <summary>A tenant API key made for this test run (stored hashed, like every key).</summary>
internal sealed record TestTenant(string UserId, string ApiKey)
{
    public HttpClient Authorize(HttpClient client)
    {
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }
}
