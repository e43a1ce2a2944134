namespace NeoWorker.Worker.Retention;

internal static partial class RetentionLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Retention keeps finished jobs {KeepDays} days; a pass runs now and every {IntervalMinutes} min, {BatchSize} jobs per transaction")]
    public static partial void Scheduled(ILogger logger, int keepDays, int intervalMinutes, int batchSize);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention is disabled (Retention:Enabled=false); finished jobs are kept")]
    public static partial void Disabled(ILogger logger);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Retention batch {Batch} deleted {Count} jobs (batch size {BatchSize})")]
    public static partial void BatchDeleted(ILogger logger, int batch, int count, int batchSize);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention deleted {Deleted} finished jobs completed before {Cutoff:o} in {Batches} batches of at most {BatchSize} ({ElapsedMs} ms)")]
    public static partial void PassDeleted(ILogger logger, long deleted, DateTimeOffset cutoff, int batches, int batchSize, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention found no finished jobs completed before {Cutoff:o} ({ElapsedMs} ms)")]
    public static partial void PassFoundNothing(ILogger logger, DateTimeOffset cutoff, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention pass failed; the next one runs in {IntervalMinutes} min")]
    public static partial void PassFailed(ILogger logger, Exception exception, int intervalMinutes);
}
