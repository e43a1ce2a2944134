using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using NeoWorker.Api.Attestation;
using NeoWorker.Api.Authentication;
using NeoWorker.Api.Jobs;
using NeoWorker.Attestation.Proofs;

namespace NeoWorker.Api.Endpoints;

public static class AttestationEndpoints
{
    public static RouteGroupBuilder MapAttestationEndpoints(this IEndpointRouteBuilder app)
    {
        var attestation = app.MapGroup("/api/v1/attestation").RequireAuthorization().WithTags("Attestation");
        attestation.MapPost("/verify", Verify);
        return attestation;
    }

    /// <summary>Checks a proof as any subscriber could offline, and answers why it holds or not.</summary>
    internal static async Task<Results<Ok<VerifyProofResponse>, ValidationProblem, NotFound>> Verify(
        VerifyProofRequest? request, ProofVerification verification, JobQueries queries, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (request?.Proof is not { } proof)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["proof"] = ["proof {statement, signature, enclavePublicKey, evidence} is required."] });
        }

        ProofExpectations? expected = null;
        if (request.JobId is { } jobId)
        {
            var job = await queries.FindSourceAsync(jobId, Caller.From(user), cancellationToken).ConfigureAwait(false);
            if (job is null)
            {
                return TypedResults.NotFound();
            }

            expected = new ProofExpectations(job.Id.ToString(), job.FunctionId, job.UserId, job.Code, job.Input ?? "", job.Status.ToString(), job.Result ?? "");
        }

        if (request.Expected is { } given)
        {
            expected = (expected ?? new ProofExpectations()) with
            {
                FunctionId = given.FunctionId ?? expected?.FunctionId,
                UserId = given.UserId ?? expected?.UserId,
                Code = given.Code ?? expected?.Code,
                Input = given.Input ?? expected?.Input,
                Status = given.Status ?? expected?.Status,
                Result = given.Result ?? expected?.Result,
            };
        }

        return TypedResults.Ok(VerifyProofResponse.From(verification.Verify(proof, expected)));
    }
}
