using System.ComponentModel.DataAnnotations;

namespace NeoWorker.Api.RateLimiting;

/// <summary>
/// Section <c>RateLimit</c>: a token bucket per API key on every <c>/api</c> route. A key may
/// spend <see cref="Burst"/> requests at once and gets <see cref="PermitsPerSecond"/> back each
/// second; past that it gets 429 with Retry-After.
/// </summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "RateLimit";

    public bool Enabled { get; set; } = true;

    [Range(1, 1_000_000)]
    public int PermitsPerSecond { get; set; } = 200;

    [Range(1, 1_000_000)]
    public int Burst { get; set; } = 400;
}
