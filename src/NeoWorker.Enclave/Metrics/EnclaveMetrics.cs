using System.Diagnostics.Metrics;

namespace NeoWorker.Enclave.Metrics;

/// <summary>
/// The enclave runtime's instruments, on the Meter <see cref="MeterName"/> made by the host's
/// <see cref="IMeterFactory"/>: how many enclaves are alive and busy, their restarts by reason, and how long
/// jobs take in them. Exporters (Prometheus, OpenTelemetry) subscribe to the meter by name.
/// </summary>
public sealed class EnclaveMetrics
{
    public const string MeterName = "NeoWorker.Enclave";

    /// <summary>ObservableGauge: enclaves whose runner process is up and has reported ready.</summary>
    public const string AliveInstrument = "neoworker.enclaves.alive";

    /// <summary>ObservableGauge: enclaves running a job.</summary>
    public const string BusyInstrument = "neoworker.enclaves.busy";

    /// <summary>Counter: runner processes replaced, tagged <see cref="ReasonTag"/> (<see cref="RestartReasons"/>).</summary>
    public const string RestartsInstrument = "neoworker.enclave.restarts";

    /// <summary>Histogram, seconds: a job's time in an enclave, from sending it to the runner to its result, tagged <see cref="StatusTag"/>.</summary>
    public const string JobDurationInstrument = "neoworker.enclave.job.duration";

    public const string ReasonTag = "reason";

    public const string StatusTag = "status";

    // Jobs take milliseconds to tens of seconds (Tee:Occlum:MaxExecutionTimeSeconds).
    private static readonly double[] DurationBuckets =
        [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

    private readonly Lock _sync = new();
    private readonly List<IObservedEnclave> _enclaves = [];
    private readonly Counter<long> _restarts;
    private readonly Histogram<double> _jobDuration;

    public EnclaveMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        Meter = meterFactory.Create(MeterName);
        Meter.CreateObservableGauge(AliveInstrument, () => Count(e => e.IsAlive), unit: "{enclave}",
            description: "Enclaves whose runner process is up and ready.");
        Meter.CreateObservableGauge(BusyInstrument, () => Count(e => e.IsBusy), unit: "{enclave}",
            description: "Enclaves running a job.");
        _restarts = Meter.CreateCounter<long>(RestartsInstrument, unit: "{restart}",
            description: "Enclave runner processes killed or lost and replaced, by reason.");
        _jobDuration = Meter.CreateHistogram(JobDurationInstrument, unit: "s",
            description: "Time of a job in an enclave, from sending it to the runner to its result, by status.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
    }

    internal Meter Meter { get; }

    internal void Track(IObservedEnclave enclave)
    {
        lock (_sync)
        {
            _enclaves.Add(enclave);
        }
    }

    internal void Untrack(IObservedEnclave enclave)
    {
        lock (_sync)
        {
            _enclaves.Remove(enclave);
        }
    }

    internal void RecordRestart(string reason) =>
        _restarts.Add(1, new KeyValuePair<string, object?>(ReasonTag, reason));

    internal void RecordJob(string status, TimeSpan duration) =>
        _jobDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>(StatusTag, status));

    private int Count(Func<IObservedEnclave, bool> predicate)
    {
        lock (_sync)
        {
            return _enclaves.Count(predicate);
        }
    }
}
