using System.Collections.Concurrent;
using System.Diagnostics;

namespace NeoWorker.Benchmarks.Messaging;

/// <summary>What a completion event said, and when this process received it.</summary>
internal sealed record Completion(
    string Status,
    string? Result,
    string? ErrorCode,
    string? Error,
    long ExecutionTimeMs,
    long GasUsed,
    long ReceivedTimestamp,
    DateTimeOffset ReceivedAt,
    bool HasProof = false);

/// <summary>One job of a batch: when it was sent, what it should return, and its completion.</summary>
internal sealed class TrackedJob(Guid id)
{
    public Guid Id { get; } = id;
    public JobBatch? Batch { get; set; }
    public long SentTimestamp { get; set; }
    public DateTimeOffset SentAt { get; set; }
    public string? ExpectedResult { get; set; }
    public Completion? Completion { get; set; }

    public double LatencyMs => Completion is null ? double.NaN : Stopwatch.GetElapsedTime(SentTimestamp, Completion.ReceivedTimestamp).TotalMilliseconds;

    /// <summary>Succeeded with the expected result (or any result when none is expected).</summary>
    public bool IsCorrect => Completion is { Status: "Succeeded" } c && (ExpectedResult is null || ExpectedResult == c.Result);
}

/// <summary>
/// The jobs of one scenario. Complete once <see cref="Seal"/> has said how many there are and that
/// many completions arrived; a wait gives up when no completion arrived for a while.
/// </summary>
internal sealed class JobBatch(string name)
{
    private readonly ConcurrentQueue<TrackedJob> _jobs = new();
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _completed;
    private int _expected = -1;
    private long _lastProgress = Stopwatch.GetTimestamp();

    public string Name { get; } = name;
    public IReadOnlyCollection<TrackedJob> Jobs => _jobs;
    public int Completed => Volatile.Read(ref _completed);

    internal void Add(TrackedJob job) => _jobs.Enqueue(job);

    internal void CountCompletion()
    {
        var completed = Interlocked.Increment(ref _completed);
        Volatile.Write(ref _lastProgress, Stopwatch.GetTimestamp());
        CheckDone(completed);
    }

    /// <summary>All jobs are submitted; <paramref name="expected"/> completions finish the batch.</summary>
    public void Seal(int expected)
    {
        Volatile.Write(ref _lastProgress, Stopwatch.GetTimestamp());
        Volatile.Write(ref _expected, expected);
        CheckDone(Completed);
    }

    /// <summary>True when every job completed; false when none completed for <paramref name="stall"/>.</summary>
    public async Task<bool> WaitAsync(TimeSpan stall, CancellationToken cancellationToken)
    {
        while (!_done.Task.IsCompleted)
        {
            await Task.WhenAny(_done.Task, Task.Delay(250, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (!_done.Task.IsCompleted && Stopwatch.GetElapsedTime(Volatile.Read(ref _lastProgress)) > stall)
            {
                return false;
            }
        }

        return true;
    }

    private void CheckDone(int completed)
    {
        var expected = Volatile.Read(ref _expected);
        if (expected >= 0 && completed >= expected)
        {
            _done.TrySetResult();
        }
    }
}

/// <summary>
/// Matches completion events to jobs by JobId. An event may arrive before its job is tracked (an
/// API job's id is known only from the 202), so either side may create the entry.
/// </summary>
internal sealed class CompletionTracker
{
    private readonly ConcurrentDictionary<Guid, TrackedJob> _jobs = new();

    public TrackedJob Track(Guid jobId, JobBatch batch, long sentTimestamp, DateTimeOffset sentAt, string? expectedResult)
    {
        var job = _jobs.GetOrAdd(jobId, static id => new TrackedJob(id));
        bool completed;
        lock (job)
        {
            job.Batch = batch;
            job.SentTimestamp = sentTimestamp;
            job.SentAt = sentAt;
            job.ExpectedResult = expectedResult;
            completed = job.Completion is not null;
        }

        batch.Add(job);
        if (completed)
        {
            batch.CountCompletion();
        }

        return job;
    }

    /// <summary>Records the first completion of a job; redeliveries (at least once) are ignored.</summary>
    public void Complete(Guid jobId, Completion completion)
    {
        var job = _jobs.GetOrAdd(jobId, static id => new TrackedJob(id));
        JobBatch? batch;
        lock (job)
        {
            if (job.Completion is not null)
            {
                return;
            }

            job.Completion = completion;
            batch = job.Batch;
        }

        batch?.CountCompletion();
    }

    /// <summary>Drops a finished batch's entries so the map stays small over a long run.</summary>
    public void Forget(JobBatch batch)
    {
        foreach (var job in batch.Jobs)
        {
            _jobs.TryRemove(job.Id, out _);
        }
    }
}
