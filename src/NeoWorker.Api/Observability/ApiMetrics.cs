using System.Diagnostics.Metrics;

namespace NeoWorker.Api.Observability;

/// <summary>The API's instruments (meter "NeoWorker.Api"), exported at /metrics.</summary>
public sealed class ApiMetrics
{
    public const string MeterName = "NeoWorker.Api";

    private readonly Counter<long> _accepted;
    private readonly Counter<long> _canceled;

    public ApiMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _accepted = meter.CreateCounter<long>("neoworker.jobs.accepted", "{job}", "New jobs recorded by the API (idempotent repeats excluded).");
        _canceled = meter.CreateCounter<long>("neoworker.jobs.cancel.requests", "{request}", "Cancel requests, by what they achieved.");
    }

    public void JobAccepted() => _accepted.Add(1);

    public void CancelRequested(string outcome) => _canceled.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
}
