using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NeoWorker.Api.Authentication;
using NeoWorker.Api.Dispatch;
using NeoWorker.Api.Secrets;
using NeoWorker.Attestation;
using NeoWorker.Enclave.Configuration;
using NeoWorker.Persistence;
using NeoWorker.Persistence.Entities;

using NeoWorker.Api.Observability;

namespace NeoWorker.Api.Jobs;

/// <summary>
/// Validates a submission and records it (Queued, not yet dispatched) in one statement; the
/// dispatcher sends the command. Once this returns Accepted, the job cannot be lost.
/// </summary>
public sealed partial class JobSubmissions(
    NeoWorkerDbContext db,
    DispatchSignal dispatch,
    IOptions<TeeOptions> tee,
    SecretsSealing sealing,
    ApiMetrics metrics,
    TimeProvider clock,
    ILogger<JobSubmissions> logger)
{
    public const int MaxIdLength = 128;

    public const int MaxIdempotencyKeyLength = 128;

    public async Task<SubmissionResult> SubmitAsync(ExecuteJavaScriptRequest? request, Caller caller, string? idempotencyKey,
        string? correlationId, CancellationToken cancellationToken)
    {
        if (idempotencyKey is { Length: 0 or > MaxIdempotencyKeyLength })
        {
            return Invalid("Idempotency-Key", $"the Idempotency-Key header must be 1-{MaxIdempotencyKeyLength} characters.");
        }

        if (request is null)
        {
            return Invalid("body", "A JSON body is required.");
        }

        var errors = Validate(request);
        if (errors.Count > 0)
        {
            return new SubmissionResult.Invalid(errors);
        }

        var userId = string.IsNullOrEmpty(request.UserId) ? caller.UserId : request.UserId;
        if (userId != caller.UserId && !caller.IsOps)
        {
            return new SubmissionResult.Forbidden($"userId '{userId}' is not the caller's user; a key submits only for its own user.");
        }

        var fingerprint = RequestFingerprint.Of(request, userId);
        if (idempotencyKey is not null && await FindByKeyAsync(userId, idempotencyKey, fingerprint, cancellationToken).ConfigureAwait(false) is { } repeat)
        {
            return repeat;
        }

        var secrets = SealSecrets(request, userId);
        if (secrets.Error is { } secretsError)
        {
            return Invalid("secrets", secretsError);
        }

        var named = await LoadNamedSecretsAsync(request.SecretNames, userId, cancellationToken).ConfigureAwait(false);
        if (named.Missing.Count > 0)
        {
            return Invalid("secretNames", $"No secret named {string.Join(", ", named.Missing.Select(n => $"'{n}'"))} for user '{userId}'.");
        }

        var now = DatabaseClock.UtcNow(clock);
        var job = new Job
        {
            Id = Guid.CreateVersion7(now),
            FunctionId = request.FunctionId!,
            UserId = userId,
            Code = request.Code!,
            CodeSha256 = ContentHash.Sha256Hex(request.Code!),
            Input = request.Input,
            SealedSecrets = secrets.Sealed,
            SealedNamedSecrets = NamedSecretsJson.Write(named.Envelopes),
            TimeoutMs = request.TimeoutMs,
            IdempotencyKey = idempotencyKey,
            RequestSha256 = fingerprint,
            CorrelationId = correlationId,
            RequestedAt = now,
            CreatedAt = now,
        };
        db.Jobs.Add(job);
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException ex) when (idempotencyKey is not null && ex.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
        {
            // A concurrent request with the same key won; answer as its repeat.
            db.ChangeTracker.Clear();
            return await FindByKeyAsync(userId, idempotencyKey, fingerprint, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("The job of a conflicting Idempotency-Key vanished.", ex);
        }

        dispatch.Notify();
        metrics.JobAccepted();
        LogAccepted(logger, job.Id, userId, job.FunctionId);
        return new SubmissionResult.Accepted(job.Id);
    }

    /// <summary>The job an earlier request with this key made: the same job for the same request, a conflict otherwise.</summary>
    private async Task<SubmissionResult?> FindByKeyAsync(string userId, string key, string fingerprint, CancellationToken cancellationToken)
    {
        var earlier = await db.Jobs.AsNoTracking()
            .Where(j => j.UserId == userId && j.IdempotencyKey == key)
            .Select(j => new { j.Id, j.RequestSha256 })
            .SingleOrDefaultAsync(cancellationToken)
            .ConfigureAwait(false);
        if (earlier is null)
        {
            return null;
        }

        return earlier.RequestSha256 == fingerprint
            ? new SubmissionResult.Accepted(earlier.Id)
            : new SubmissionResult.Conflict($"Idempotency-Key '{key}' was already used for a different request (job {earlier.Id}).");
    }

    private Dictionary<string, string[]> Validate(ExecuteJavaScriptRequest request)
    {
        var limits = tee.Value.Limits;
        var errors = new Dictionary<string, string[]>();

        if (string.IsNullOrWhiteSpace(request.Code))
        {
            errors["code"] = ["code is required: a script that defines main(input, secrets)."];
        }
        else if (Encoding.UTF8.GetByteCount(request.Code) > limits.MaxCodeBytes)
        {
            errors["code"] = [$"code must be at most {limits.MaxCodeBytes} bytes."];
        }

        if (request.Input is not null)
        {
            if (Encoding.UTF8.GetByteCount(request.Input) > limits.MaxInputBytes)
            {
                errors["input"] = [$"input must be at most {limits.MaxInputBytes} bytes."];
            }
            else if (!IsJson(request.Input))
            {
                errors["input"] = ["input must be a JSON text, e.g. \"{ \\\"value\\\": 42 }\"."];
            }
        }

        if (request.Secrets is not null && request.SealedSecrets is not null)
        {
            errors["secrets"] = ["Give either secrets or sealedSecrets, not both."];
        }
        else if (request.Secrets is not null && Encoding.UTF8.GetByteCount(request.Secrets) > limits.MaxSecretsBytes)
        {
            errors["secrets"] = [$"secrets must be at most {limits.MaxSecretsBytes} bytes."];
        }
        else if (request.Secrets is not null && !IsJsonObject(request.Secrets))
        {
            errors["secrets"] = ["secrets must be a JSON object text, e.g. \"{}\"."];
        }

        ValidateId(errors, "functionId", request.FunctionId, required: true);
        ValidateId(errors, "userId", request.UserId, required: false);
        if (request.SecretNames is { } names && (names.Count > SecretNames.MaxPerJob || names.Any(n => !SecretNames.IsValid(n))))
        {
            errors["secretNames"] = [$"secretNames: at most {SecretNames.MaxPerJob} names, each {SecretNames.Rule}."];
        }

        var maxTimeoutMs = tee.Value.Occlum.MaxExecutionTimeSeconds * 1000;
        if (request.TimeoutMs is { } timeout && (timeout < 1 || timeout > maxTimeoutMs))
        {
            errors["timeoutMs"] = [$"timeoutMs must be between 1 and {maxTimeoutMs} (Tee:Occlum:MaxExecutionTimeSeconds)."];
        }

        return errors;
    }

    private async Task<(IReadOnlyDictionary<string, string> Envelopes, IReadOnlyList<string> Missing)> LoadNamedSecretsAsync(
        IReadOnlyList<string>? names, string userId, CancellationToken cancellationToken)
    {
        if (names is null || names.Count == 0)
        {
            return (new Dictionary<string, string>(), []);
        }

        var wanted = names.Distinct(StringComparer.Ordinal).ToList();
        var envelopes = await db.UserSecrets.AsNoTracking()
            .Where(s => s.UserId == userId && wanted.Contains(s.Name))
            .ToDictionaryAsync(s => s.Name, s => s.SealedValue, StringComparer.Ordinal, cancellationToken)
            .ConfigureAwait(false);
        return (envelopes, wanted.Where(n => !envelopes.ContainsKey(n)).ToList());
    }

    private static void ValidateId(Dictionary<string, string[]> errors, string field, string? value, bool required)
    {
        if (string.IsNullOrEmpty(value))
        {
            if (required)
            {
                errors[field] = [$"{field} is required."];
            }
        }
        else if (value.Length > MaxIdLength || !IdPattern().IsMatch(value))
        {
            errors[field] = [$"{field} must be 1-{MaxIdLength} characters of letters, digits, '_', '-', '.', ':' or '@'."];
        }
    }

    /// <summary>Seals the seed's plaintext secrets at once; the plaintext goes no further than this method.</summary>
    private (string? Sealed, string? Error) SealSecrets(ExecuteJavaScriptRequest request, string userId)
    {
        if (request.SealedSecrets is not null)
        {
            return (request.SealedSecrets, null);
        }

        // Validated as a JSON object already; "{}" carries nothing worth sealing.
        if (request.Secrets is null || IsEmptyObject(request.Secrets))
        {
            return (null, null);
        }

        return sealing.Seal(request.Secrets, userId, request.FunctionId!);
    }

    private static bool IsJson(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool IsJsonObject(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool IsEmptyObject(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.ValueKind == JsonValueKind.Object && !document.RootElement.EnumerateObject().Any();
    }

    private static SubmissionResult.Invalid Invalid(string field, string message) =>
        new(new Dictionary<string, string[]> { [field] = [message] });

    [GeneratedRegex("^[A-Za-z0-9_.:@-]+$")]
    private static partial Regex IdPattern();

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} of {UserId}/{FunctionId} accepted")]
    private static partial void LogAccepted(ILogger logger, Guid jobId, string userId, string functionId);
}
