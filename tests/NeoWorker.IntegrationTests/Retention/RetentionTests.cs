using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using NeoWorker.Attestation;
using NeoWorker.IntegrationTests.Infrastructure;
using NeoWorker.Persistence;
using NeoWorker.Persistence.Entities;

namespace NeoWorker.IntegrationTests.Retention;

/// <summary>
/// The worker's retention job against the real PostgreSQL: each test writes its own jobs (marked by a
/// function id of its own), starts a worker process with the Retention settings under test (its first
/// pass runs at start-up), and reads what that pass did from the database and the worker's log.
/// </summary>
[Collection(nameof(ServicesCollection))]
public sealed partial class RetentionTests(ServicesFixture services)
{
    private const int KeepDays = 30;
    private static readonly TimeSpan PassTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Old_finished_jobs_and_their_proofs_are_deleted_and_recent_or_unfinished_jobs_are_kept()
    {
        await TheFixtureWorkersOwnPassIsOverAsync();
        var marker = NewMarker();
        var now = DatabaseClock.UtcNow(TimeProvider.System);
        var old = now.AddDays(-(KeepDays + 10));
        var expired = new[] { JobStatus.Succeeded, JobStatus.Failed, JobStatus.TimedOut, JobStatus.Faulted, JobStatus.Canceled }
            .Select(status => NewJob(marker, status, requestedAt: old, completedAt: old.AddMinutes(1)))
            .ToList();
        var kept = new List<Job>
        {
            NewJob(marker, JobStatus.Succeeded, requestedAt: now.AddDays(-1), completedAt: now.AddDays(-1)),
            // requested long ago but finished inside the window: its age counts from completion
            NewJob(marker, JobStatus.Failed, requestedAt: old, completedAt: now.AddDays(-(KeepDays - 1))),
            // never finished, however old: not retention's business
            NewJob(marker, JobStatus.Queued, requestedAt: old, completedAt: null),
            NewJob(marker, JobStatus.Running, requestedAt: old, completedAt: null),
        };
        await InsertAsync([.. expired, .. kept]);
        var evidence = await InsertProofsAsync([expired[0].Id, kept[0].Id]);

        try
        {
            await using var worker = await StartWorkerAsync(batchSize: 1000);
            await WaitForPassAsync(worker);

            var remaining = await RemainingIdsAsync(marker);
            Assert.Empty(expired.Select(j => j.Id).Intersect(remaining));
            Assert.Equal(kept.Select(j => j.Id).Order(), remaining.Order());
            // a job's proof goes with it; the enclave's evidence, shared by other jobs, stays
            await using var db = services.CreateDb();
            Assert.Equal([kept[0].Id], await db.AttestationProofs.Where(p => p.EnclaveKeyId == evidence).Select(p => p.JobId).ToListAsync());
            Assert.True(await db.EnclaveEvidence.AnyAsync(e => e.EnclaveKeyId == evidence));
        }
        finally
        {
            await DeleteMarkedAsync(marker);
            await using var db = services.CreateDb();
            await db.EnclaveEvidence.Where(e => e.EnclaveKeyId == evidence).ExecuteDeleteAsync();
        }
    }

    [Fact]
    public async Task A_backlog_is_deleted_in_batches_no_larger_than_the_batch_size()
    {
        const int batchSize = 3;
        const int backlog = 7;
        await TheFixtureWorkersOwnPassIsOverAsync();
        var marker = NewMarker();
        var old = DatabaseClock.UtcNow(TimeProvider.System).AddDays(-(KeepDays + 5));
        var jobs = Enumerable.Range(0, backlog)
            .Select(i => NewJob(marker, JobStatus.Succeeded, requestedAt: old.AddSeconds(i), completedAt: old.AddSeconds(i + 1)))
            .ToList();
        await InsertAsync(jobs);

        try
        {
            await using var worker = await StartWorkerAsync(batchSize);
            var summary = await WaitForPassAsync(worker);

            Assert.Empty(await RemainingIdsAsync(marker));
            var batches = BatchLine().Matches(worker.Output)
                .Select(m => (Number: Int(m.Groups["batch"]), Count: Int(m.Groups["count"]), Size: Int(m.Groups["size"])))
                .ToList();
            Assert.All(batches, b => Assert.Equal(batchSize, b.Size));
            Assert.All(batches, b => Assert.InRange(b.Count, 1, batchSize));
            // other expired jobs in the test database may share the pass, never a batch's limit
            Assert.True(batches.Count >= (backlog + batchSize - 1) / batchSize, "batches in the log:\n" + worker.Output);
            Assert.Equal(batches.Sum(b => b.Count), Int(summary.Groups["deleted"]));
            Assert.Equal(batches.Count, Int(summary.Groups["batches"]));
        }
        finally
        {
            await DeleteMarkedAsync(marker);
        }
    }

    [Fact]
    public async Task A_worker_with_an_invalid_retention_setting_refuses_to_start_and_names_the_key()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(
            () => StartWorkerAsync(batchSize: 1000, ("Retention__KeepDays", "0")));

        Assert.Contains("Retention:KeepDays", failure.Message, StringComparison.Ordinal);
    }

    // ------------------------------------------------------------------ helpers

    [GeneratedRegex(@"Retention batch (?<batch>\d+) deleted (?<count>\d+) jobs \(batch size (?<size>\d+)\)")]
    private static partial Regex BatchLine();

    [GeneratedRegex(@"Retention deleted (?<deleted>\d+) finished jobs completed before \S+ in (?<batches>\d+) batches|Retention found no finished jobs")]
    private static partial Regex PassLine();

    private static int Int(Group group) => int.Parse(group.Value, CultureInfo.InvariantCulture);

    private static string NewMarker() => $"retention-{Guid.NewGuid():N}";

    private static Job NewJob(string marker, JobStatus status, DateTimeOffset requestedAt, DateTimeOffset? completedAt)
    {
        const string code = "function main() { return 1; }";
        return new Job
        {
            Id = Guid.NewGuid(),
            FunctionId = marker,
            UserId = "retention-tests",
            Status = status,
            Code = code,
            CodeSha256 = ContentHash.Sha256Hex(code),
            Input = "{}",
            Result = status == JobStatus.Succeeded ? "1" : null,
            RequestedAt = requestedAt,
            CreatedAt = requestedAt,
            // already handed to the broker, so the API's outbox dispatcher leaves these rows alone
            DispatchedAt = requestedAt,
            StartedAt = status == JobStatus.Queued ? null : requestedAt,
            CompletedAt = completedAt,
            AttemptCount = status == JobStatus.Queued ? 0 : 1,
        };
    }

    private async Task InsertAsync(IEnumerable<Job> jobs)
    {
        await using var db = services.CreateDb();
        db.Jobs.AddRange(jobs);
        await db.SaveChangesAsync();
    }

    /// <summary>One enclave's evidence and a proof by it for each job; returns the enclave key id.</summary>
    private async Task<string> InsertProofsAsync(IEnumerable<Guid> jobIds)
    {
        var enclaveKeyId = Guid.NewGuid().ToString("N");
        var now = DatabaseClock.UtcNow(TimeProvider.System);
        await using var db = services.CreateDb();
        db.EnclaveEvidence.Add(new EnclaveEvidence
        {
            EnclaveKeyId = enclaveKeyId,
            EnclavePublicKey = "retention-test",
            EvidenceType = "retention-test",
            Evidence = "retention-test",
            Simulated = true,
            FirstSeenAt = now,
        });
        db.AttestationProofs.AddRange(jobIds.Select(id => new AttestationProof
        {
            JobId = id,
            Statement = "{}",
            Signature = "retention-test",
            EnclaveKeyId = enclaveKeyId,
            CreatedAt = now,
        }));
        await db.SaveChangesAsync();
        return enclaveKeyId;
    }

    private async Task<List<Guid>> RemainingIdsAsync(string marker)
    {
        await using var db = services.CreateDb();
        return await db.Jobs.Where(j => j.FunctionId == marker).Select(j => j.Id).ToListAsync();
    }

    private async Task DeleteMarkedAsync(string marker)
    {
        await using var db = services.CreateDb();
        await db.Jobs.Where(j => j.FunctionId == marker).ExecuteDeleteAsync();
    }

    /// <summary>A worker like the fixture's, one enclave, with these Retention settings; its first pass starts with it.</summary>
    private Task<WorkerProcess> StartWorkerAsync(int batchSize, params (string Key, string Value)[] overrides)
    {
        var environment = new Dictionary<string, string>(services.Services.AsEnvironment())
        {
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin",
            ["HOME"] = Environment.GetEnvironmentVariable("HOME") ?? "/tmp",
            ["Tee__Type"] = "Simulation",
            ["Tee__EnclavePath"] = RepositoryPaths.Runner,
            ["Tee__Workers"] = "1",
            ["Tee__Simulation__SealingKeyFiles__0"] = services.Sealing.PrivateKeyFile,
            ["Retention__Enabled"] = "true",
            ["Retention__KeepDays"] = KeepDays.ToString(CultureInfo.InvariantCulture),
            ["Retention__IntervalMinutes"] = "60",
            ["Retention__BatchSize"] = batchSize.ToString(CultureInfo.InvariantCulture),
            ["Serilog__MinimumLevel__Override__NeoWorker.Worker.Retention"] = "Debug",
        };
        foreach (var (key, value) in overrides)
        {
            environment[key] = value;
        }

        return WorkerProcess.StartAsync(environment, TimeSpan.FromSeconds(90));
    }

    /// <summary>
    /// The fixture's worker runs retention too (defaults: 30 days, hourly), its first pass in the
    /// background at start-up; rows written before that pass ends could be deleted by it instead.
    /// </summary>
    private Task TheFixtureWorkersOwnPassIsOverAsync() => WaitForPassAsync(services.Worker);

    private static async Task<Match> WaitForPassAsync(WorkerProcess worker)
    {
        var deadline = DateTime.UtcNow + PassTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (PassLine().Match(worker.Output) is { Success: true } match)
            {
                return match;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"No retention pass finished within {PassTimeout}. Worker output:\n{worker.Output}");
    }
}
