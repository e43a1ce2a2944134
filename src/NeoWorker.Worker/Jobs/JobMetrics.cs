using System.Diagnostics.Metrics;

namespace NeoWorker.Worker.Jobs;

/// <summary>The worker's job instruments (meter "NeoWorker.Worker"), exported at the worker's /metrics.</summary>
public sealed class JobMetrics
{
    public const string MeterName = "NeoWorker.Worker";

    private readonly Counter<long> _completed;
    private readonly Histogram<double> _executionTime;
    private readonly Histogram<double> _queueWait;
    private readonly Counter<long> _retried;
    private readonly Counter<long> _faulted;

    public JobMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _completed = meter.CreateCounter<long>("neoworker.jobs.completed", "{job}", "Jobs this worker brought to a terminal state, by status.");
        _executionTime = meter.CreateHistogram<double>("neoworker.job.execution.duration", "s", "Time jobs ran in an enclave, by status.");
        _queueWait = meter.CreateHistogram<double>("neoworker.job.queue.wait", "s", "Time from a job's request to its start on a worker.");
        _retried = meter.CreateCounter<long>("neoworker.messages.retried", "{message}", "Command deliveries that were retries or redeliveries.");
        _faulted = meter.CreateCounter<long>("neoworker.messages.faulted", "{message}", "Commands that failed for good (to _error, job Faulted).");

        // Present from the first scrape, at 0, so a rate() over them works before the first event.
        _retried.Add(0);
        _faulted.Add(0);
    }

    public void JobStarted(TimeSpan queueWait) => _queueWait.Record(Math.Max(0, queueWait.TotalSeconds));

    public void JobCompleted(string status, long executionTimeMs)
    {
        var tag = new KeyValuePair<string, object?>("status", status);
        _completed.Add(1, tag);
        _executionTime.Record(executionTimeMs / 1000.0, tag);
    }

    public void MessageRetried() => _retried.Add(1);

    public void MessageFaulted() => _faulted.Add(1);
}
