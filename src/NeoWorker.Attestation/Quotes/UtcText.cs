using System.Globalization;

namespace NeoWorker.Attestation.Quotes;

/// <summary>Times in messages, as Intel's collateral writes them: <c>2025-07-19T10:01:18Z</c>.</summary>
internal static class UtcText
{
    public static string Of(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Of(DateTime time) => Of(new DateTimeOffset(time.ToUniversalTime(), TimeSpan.Zero));
}
