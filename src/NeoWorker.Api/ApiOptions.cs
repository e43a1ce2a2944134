using System.ComponentModel.DataAnnotations;

namespace NeoWorker.Api;

/// <summary>Section <c>Api</c>.</summary>
public sealed class ApiOptions
{
    public const string SectionName = "Api";

    /// <summary>Longest <c>?wait=</c> a caller may ask for, in seconds.</summary>
    [Range(0, 120)]
    public int MaxWaitSeconds { get; set; } = 30;

    /// <summary>Commands dispatched per outbox round.</summary>
    [Range(1, 10_000)]
    public int DispatchBatchSize { get; set; } = 200;

    /// <summary>How often the dispatcher looks for unsent commands when nothing wakes it.</summary>
    [Range(50, 60_000)]
    public int DispatchPollMs { get; set; } = 1000;

    /// <summary>How long one publish may wait for the broker's confirm before the round is retried.</summary>
    [Range(1, 300)]
    public int DispatchPublishTimeoutSeconds { get; set; } = 10;

    /// <summary>Largest request body Kestrel accepts (413 beyond); room for the largest code, input and secrets, JSON-escaped.</summary>
    [Range(64 * 1024, 64 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>How long an API key lookup is cached: a revoked key keeps working at most this long.</summary>
    [Range(0, 3600)]
    public int KeyCacheSeconds { get; set; } = 30;

    /// <summary>How long <c>POST /jobs/{id}/cancel</c> waits for a Running job to stop before answering 202.</summary>
    [Range(0, 60)]
    public int CancelWaitSeconds { get; set; } = 5;
}
