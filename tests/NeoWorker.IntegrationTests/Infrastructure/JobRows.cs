using NeoWorker.Attestation;
using NeoWorker.Persistence;
using NeoWorker.Persistence.Entities;

namespace NeoWorker.IntegrationTests.Infrastructure;

/// <summary>Writes job rows straight into PostgreSQL, already dispatched, for tests of what the API reads.</summary>
internal static class JobRows
{
    public static async Task<Job> InsertAsync(NeoWorkerDbContext db, string userId, string functionId, JobStatus status,
        DateTimeOffset requestedAt, long? executionTimeMs = null)
    {
        var job = new Job
        {
            Id = Guid.NewGuid(),
            UserId = userId,
            FunctionId = functionId,
            Status = status,
            Code = "function main() { return 1; }",
            CodeSha256 = ContentHash.Sha256Hex("function main() { return 1; }"),
            Input = "{}",
            RequestedAt = DatabaseClock.Truncate(requestedAt),
            CreatedAt = DatabaseClock.Truncate(requestedAt),
            DispatchedAt = DatabaseClock.Truncate(requestedAt),
            CompletedAt = status.IsTerminal() ? DatabaseClock.Truncate(DateTimeOffset.UtcNow) : null,
            ExecutionTimeMs = status.IsTerminal() ? executionTimeMs : null,
            Result = status == JobStatus.Succeeded ? "1" : null,
        };
        db.Jobs.Add(job);
        await db.SaveChangesAsync();
        return job;
    }
}
