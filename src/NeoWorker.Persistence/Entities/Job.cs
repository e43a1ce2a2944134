namespace NeoWorker.Persistence.Entities;

/// <summary>One execution request and, once finished, its outcome. The id is the publisher's JobId.</summary>
public sealed class Job
{
    public Guid Id { get; set; }

    public required string FunctionId { get; set; }

    public required string UserId { get; set; }

    public JobStatus Status { get; set; } = JobStatus.Queued;

    public required string Code { get; set; }

    /// <summary>Lowercase hex SHA-256 of the UTF-8 code; what a proof names.</summary>
    public required string CodeSha256 { get; set; }

    /// <summary>JSON text handed to <c>main</c>.</summary>
    public string? Input { get; set; }

    /// <summary>Secrets sealed to the enclave fleet key. Plaintext secrets are never stored.</summary>
    public string? SealedSecrets { get; set; }

    /// <summary>The user's named secrets the job asked for: a JSON object of name → envelope (all sealed).</summary>
    public string? SealedNamedSecrets { get; set; }

    public int? TimeoutMs { get; set; }

    /// <summary>The API caller's Idempotency-Key, unique per user: a repeat returns this job.</summary>
    public string? IdempotencyKey { get; set; }

    /// <summary>Fingerprint of the request that created the job, to refuse a different body under the same key.</summary>
    public string? RequestSha256 { get; set; }

    public string? Result { get; set; }

    public string? ErrorCode { get; set; }

    public string? Error { get; set; }

    public string? Logs { get; set; }

    public bool LogsTruncated { get; set; }

    public long? ExecutionTimeMs { get; set; }

    public long? GasUsed { get; set; }

    /// <summary>When the publisher asked for the job.</summary>
    public DateTimeOffset RequestedAt { get; set; }

    /// <summary>When this row was written.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the API's dispatcher handed the command to RabbitMQ; null until then (the outbox).</summary>
    public DateTimeOffset? DispatchedAt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>Times a worker claimed the job; more than one only after a worker died under it.</summary>
    public int AttemptCount { get; set; }

    /// <summary>The worker process holding the job while Running.</summary>
    public string? WorkerId { get; set; }

    public string? EnclaveId { get; set; }

    /// <summary>A Running job whose lease has passed belongs to no live worker and may be claimed again.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; set; }

    /// <summary>The correlation id of the request that created the job (header X-Correlation-Id), for following it through the logs.</summary>
    public string? CorrelationId { get; set; }

    /// <summary>When a caller asked to cancel the job while it was Running; its worker stops the enclave's job.</summary>
    public DateTimeOffset? CancelRequestedAt { get; set; }
}
