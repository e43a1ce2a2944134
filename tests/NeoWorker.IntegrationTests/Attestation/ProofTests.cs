using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using NeoWorker.Attestation.Proofs;
using NeoWorker.Attestation.Quotes;
using NeoWorker.Contracts;
using NeoWorker.IntegrationTests.Infrastructure;

namespace NeoWorker.IntegrationTests.Attestation;

/// <summary>Every result is signed inside the enclave, stored, returned, published, and verifiable offline by anyone.</summary>
[Collection(nameof(ServicesCollection))]
public sealed class ProofTests(ServicesFixture services)
{
    [Fact]
    public async Task A_published_job_carries_a_proof_a_subscriber_verifies_offline_against_the_simulation_root()
    {
        var command = new ExecuteJavaScript(Guid.NewGuid(), Functions.Seed, Functions.SeedInput, null, "proof_function", "proof-publisher", null, DateTimeOffset.UtcNow);

        await services.Events.Bus.Publish(command);
        var completed = await services.Events.WaitForAsync(command.JobId, TimeSpan.FromSeconds(30));

        Assert.NotNull(completed.Proof);
        var trust = new ProofTrust(IntelSgx.LoadRootCa(), X509Certificate2.CreateFromPem(services.Attestation.Root.CertificatePem), null,
            new QuotePolicy { AllowSimulated = true });
        var verdict = new ExecutionProofVerifier().Verify(completed.Proof, trust, new ProofExpectations(
            JobId: command.JobId.ToString(), FunctionId: command.FunctionId, UserId: command.UserId, Code: command.Code,
            Input: command.Input, Status: completed.Status, Result: completed.Result));
        Assert.True(verdict.IsValid, verdict.FailureReason);
        Assert.True(verdict.IsSimulated);

        var strict = new ExecutionProofVerifier().Verify(completed.Proof, ProofTrust.Intel());
        Assert.False(strict.IsValid);

        var lie = new ExecutionProofVerifier().Verify(completed.Proof, trust, new ProofExpectations(Result: """{"result":85}"""));
        Assert.False(lie.IsValid);
    }

    [Fact]
    public async Task The_api_returns_the_proof_with_the_job_and_verifies_it_against_the_job()
    {
        var client = services.CreateClient(services.Tenant);
        var job = await new JobsApi(client).SubmitAndWaitAsync(JobsApi.Request(Functions.Seed, Functions.SeedInput, "proof_function"));
        var jobId = (string)job["jobId"]!;
        var view = JsonNode.Parse(await client.GetStringAsync($"/api/v1/jobs/{jobId}"))!;
        Assert.NotNull(view["proof"]);

        var response = await client.PostAsJsonAsync("/api/v1/attestation/verify", new { proof = view["proof"], jobId });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var verdict = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True((bool)verdict["valid"]!, verdict.ToJsonString());
        Assert.True((bool)verdict["simulated"]!);
        Assert.Equal(jobId, (string?)verdict["statement"]!["jobId"]);

        // The same proof checked offline, with nothing but NeoWorker.Attestation and the simulation root.
        var proof = view["proof"].Deserialize<ExecutionProof>(new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        var trust = new ProofTrust(IntelSgx.LoadRootCa(), X509Certificate2.CreateFromPem(services.Attestation.Root.CertificatePem), null,
            new QuotePolicy { AllowSimulated = true });
        var offline = new ExecutionProofVerifier().Verify(proof, trust, new ProofExpectations(
            JobId: jobId, Code: Functions.Seed, Input: Functions.SeedInput, Status: "Succeeded", Result: view["result"]!.ToJsonString()));
        Assert.True(offline.IsValid, offline.FailureReason);
    }

    [Fact]
    public async Task A_failed_job_is_signed_too_and_a_proof_moved_to_another_job_is_refused()
    {
        var client = services.CreateClient(services.Tenant);
        var api = new JobsApi(client);
        var failed = await api.SubmitAndWaitAsync(JobsApi.Request(Functions.Throwing, functionId: "proof_function"));
        var other = await api.SubmitAndWaitAsync(JobsApi.Request(Functions.Seed, Functions.SeedInput, "proof_function"));
        var failedView = JsonNode.Parse(await client.GetStringAsync($"/api/v1/jobs/{(string)failed["jobId"]!}"))!;
        Assert.Contains("\"status\":\"Failed\"", (string?)failedView["proof"]!["statement"], StringComparison.Ordinal);

        var moved = await client.PostAsJsonAsync("/api/v1/attestation/verify", new { proof = failedView["proof"], jobId = (string)other["jobId"]! });

        var verdict = JsonNode.Parse(await moved.Content.ReadAsStringAsync())!;
        Assert.False((bool)verdict["valid"]!);
        Assert.Contains(verdict["reasons"]!.AsArray(), r => ((string?)r)!.StartsWith("expected-jobId", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Tee_info_names_the_simulation_root_and_the_measurement()
    {
        var client = services.CreateClient(services.Tenant);
        await new JobsApi(client).SubmitAndWaitAsync(JobsApi.Request(Functions.Seed, Functions.SeedInput));

        var info = JsonNode.Parse(await client.GetStringAsync("/api/v1/tee/info"))!;

        Assert.Equal(services.Attestation.Root.CertificatePem.Trim(), ((string?)info["simulationRoot"])?.Trim());
        Assert.Matches("^[0-9a-f]{64}$", (string?)info["measurement"]);
        Assert.NotEmpty(info["enclaveKeys"]!.AsArray());
        Assert.True((bool)info["policy"]!["allowSimulated"]!);
    }
}
