namespace NeoWorker.Persistence;

/// <summary>
/// PostgreSQL keeps microseconds; values that are written and later compared or republished are
/// truncated to that precision first, so a re-read row equals what was sent.
/// </summary>
public static class DatabaseClock
{
    public static DateTimeOffset Truncate(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % 10), TimeSpan.Zero);

    public static DateTimeOffset UtcNow(TimeProvider timeProvider) => Truncate(timeProvider.GetUtcNow());
}
