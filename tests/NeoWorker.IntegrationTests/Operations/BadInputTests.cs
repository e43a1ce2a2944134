using System.Net;
using System.Text;
using NeoWorker.IntegrationTests.Infrastructure;

namespace NeoWorker.IntegrationTests.Operations;

/// <summary>Every malformed request is a 4xx problem document that names what was wrong, never a 500 or a stack trace.</summary>
[Collection(nameof(ServicesCollection))]
public sealed class BadInputTests(ServicesFixture services)
{
    [Theory]
    [InlineData("/api/v1/functions/execute-javascript", """{"code":"function main(){}","functionId":"f","colour":"red"}""", "colour")]
    [InlineData("/api/v1/functions/execute-javascript", """{"code":"function main(){}","functionId":"f","timeoutMs":"soon"}""", "timeoutMs")]
    [InlineData("/api/v1/functions/execute-javascript", """{"code":"function main(){}",""", "body")]
    [InlineData("/api/v1/functions/execute-javascript", """[1,2,3]""", "body")]
    [InlineData("/api/v1/attestation/verify", """{"proof":{"statement":1},"extra":true}""", "")]
    public async Task Malformed_bodies_get_400_problem_details(string url, string body, string named)
    {
        var response = await services.CreateClient(services.Tenant).PostAsync(url, new StringContent(body, Encoding.UTF8, "application/json"));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, named);
    }

    [Fact]
    public async Task A_huge_body_gets_413_before_it_is_read()
    {
        var huge = new StringBuilder("""{"code":"function main(){}","functionId":"f","input":" """);
        huge.Append('x', 5 * 1024 * 1024).Append("\"}");

        var response = await services.CreateClient(services.Tenant)
            .PostAsync("/api/v1/functions/execute-javascript", new StringContent(huge.ToString(), Encoding.UTF8, "application/json"));

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "");
    }

    [Theory]
    [InlineData("/api/v1/jobs/not-a-guid")]
    [InlineData("/api/v1/jobs/1234")]
    public async Task Bad_guids_get_400(string url) =>
        await AssertProblemAsync(await services.CreateClient(services.Tenant).GetAsync(url), HttpStatusCode.BadRequest, "jobId");

    [Theory]
    [InlineData("/api/v1/nothing-here")]
    [InlineData("/api/v2/jobs")]
    public async Task Unknown_routes_get_404_problem_details(string url) =>
        await AssertProblemAsync(await services.CreateClient(services.Tenant).GetAsync(url), HttpStatusCode.NotFound, "");

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode expected, string named)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        if (named.Length > 0)
        {
            Assert.Contains(named, text, StringComparison.Ordinal);
        }
    }
}
