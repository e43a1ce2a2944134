using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using NeoWorker.Attestation.Sealing;
using NeoWorker.Contracts;
using NeoWorker.IntegrationTests.Infrastructure;

namespace NeoWorker.IntegrationTests.Jobs;

/// <summary>Secrets reach main(input, secrets) and are stored only sealed.</summary>
[Collection(nameof(ServicesCollection))]
public sealed class SecretsTests(ServicesFixture services)
{
    // Returns what it can prove about the secret without revealing it.
    private const string SecretProbe = """
        async function main(input, secrets) {
          const secret = secrets.apiKey;
          let hash = 0;
          for (let i = 0; i < secret.length; i++) { hash = (hash * 31 + secret.charCodeAt(i)) >>> 0; }
          return { length: secrets.apiKey.length, hash };
        }
        """;

    private JobsApi Api => new(services.CreateClient(services.Tenant));

    [Fact]
    public async Task Plaintext_secrets_sent_to_the_api_reach_main_and_are_stored_only_sealed()
    {
        var marker = Marker();
        var secrets = $$"""{"apiKey":"{{marker}}"}""";

        var job = await Api.SubmitAndWaitAsync(new { code = SecretProbe, input = "{}", secrets, functionId = "secret_probe" });

        Assert.Equal("Succeeded", (string?)job["status"]);
        Assert.Equal(marker.Length, (int)job["result"]!["length"]!);
        Assert.Equal(Probe(marker), (long)job["result"]!["hash"]!);
        await AssertStoredSealedAsync(Guid.Parse((string)job["jobId"]!), marker);
    }

    [Fact]
    public async Task Secrets_sealed_by_the_client_reach_main()
    {
        var marker = Marker();
        var envelope = new SecretSealer().Seal(services.Sealing.Pair.PublicKey, $$"""{"apiKey":"{{marker}}"}""", services.Tenant.UserId, "secret_probe");

        var job = await Api.SubmitAndWaitAsync(new { code = SecretProbe, input = "{}", sealedSecrets = envelope, functionId = "secret_probe" });

        Assert.Equal("Succeeded", (string?)job["status"]);
        Assert.Equal(Probe(marker), (long)job["result"]!["hash"]!);
    }

    [Fact]
    public async Task An_envelope_sealed_for_another_user_fails_the_job_with_InvalidSecrets_without_revealing_it()
    {
        var marker = Marker();
        var envelope = new SecretSealer().Seal(services.Sealing.Pair.PublicKey, $$"""{"apiKey":"{{marker}}"}""", services.OtherTenant.UserId, "secret_probe");

        var job = await Api.SubmitAndWaitAsync(new { code = SecretProbe, input = "{}", sealedSecrets = envelope, functionId = "secret_probe" });

        Assert.Equal("Failed", (string?)job["status"]);
        Assert.Equal(ErrorCodes.InvalidSecrets, (string?)job["errorCode"]);
        Assert.DoesNotContain(marker, job.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_named_secret_is_stored_sealed_listed_without_its_value_and_reaches_main_by_name()
    {
        var marker = Marker();
        var name = "api_" + Guid.NewGuid().ToString("N")[..8];
        var client = services.CreateClient(services.Tenant);

        var put = await client.PutAsJsonAsync($"/api/v1/secrets/{name}", new { value = marker });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.DoesNotContain(marker, await put.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var list = await client.GetStringAsync("/api/v1/secrets");
        Assert.Contains(name, list, StringComparison.Ordinal);
        Assert.DoesNotContain(marker, list, StringComparison.Ordinal);

        const string code = "function main(input, secrets) { return { length: secrets[input.name].length }; }";
        var job = await Api.SubmitAndWaitAsync(new { code, input = $$"""{"name":"{{name}}"}""", functionId = "named_probe", secretNames = new[] { name } });
        Assert.Equal("Succeeded", (string?)job["status"]);
        Assert.Equal(marker.Length, (int)job["result"]!["length"]!);

        await using (var db = services.CreateDb())
        {
            var stored = await db.UserSecrets.AsNoTracking().SingleAsync(s => s.UserId == services.Tenant.UserId && s.Name == name);
            Assert.DoesNotContain(marker, stored.SealedValue, StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/secrets/{name}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync($"/api/v1/secrets/{name}")).StatusCode);
        var missing = await Api.SubmitAsync(new { code, input = "{}", functionId = "named_probe", secretNames = new[] { name } });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
    }

    [Fact]
    public async Task Tee_info_serves_the_sealing_public_key_clients_seal_to()
    {
        var info = JsonNode.Parse(await services.CreateClient(services.Tenant).GetStringAsync("/api/v1/tee/info"))!;

        Assert.Equal("Simulation", (string?)info["type"]);
        Assert.True((bool)info["simulated"]!);
        Assert.Equal(services.Sealing.Pair.KeyId, (string?)info["sealing"]!["keyId"]);
        var key = SealingPublicKey.FromPem((string)info["sealing"]!["publicKeyPem"]!);
        Assert.Equal(services.Sealing.Pair.PublicKey, key);
    }

    [Fact]
    public async Task Plaintext_secrets_that_are_not_a_json_object_are_refused_without_echoing_them()
    {
        var marker = Marker();
        var response = await Api.SubmitAsync(new { code = SecretProbe, input = "{}", secrets = $"\"{marker}\"", functionId = "secret_probe" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(marker, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task AssertStoredSealedAsync(Guid jobId, string marker)
    {
        await using var db = services.CreateDb();
        var row = await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == jobId);
        Assert.NotNull(row.SealedSecrets);
        Assert.DoesNotContain(marker, row.SealedSecrets, StringComparison.Ordinal);
        Assert.DoesNotContain(marker, services.Worker.Output, StringComparison.Ordinal);
    }

    private static string Marker() => "marker-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12));

    private static long Probe(string secret)
    {
        uint hash = 0;
        foreach (var c in secret)
        {
            hash = unchecked((hash * 31) + c);
        }

        return hash;
    }
}
