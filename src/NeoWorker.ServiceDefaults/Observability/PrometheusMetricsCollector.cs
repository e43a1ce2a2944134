using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace NeoWorker.ServiceDefaults.Observability;

/// <summary>
/// Listens to NeoWorker's meters ("NeoWorker.*") and renders them in the Prometheus text format
/// (0.0.4): counters as <c>_total</c> counters, histograms with cumulative buckets, observable
/// gauges read at scrape time, plus the process's memory and CPU. Written here rather than taken
/// from prometheus-net, whose meter adapter published no push instrument on .NET 10 when tried
/// (and turns counters into gauges); this is the small part NeoWorker needs.
/// </summary>
public sealed class PrometheusMetricsCollector : IDisposable
{
    public const string MeterPrefix = "NeoWorker";

    /// <summary>Bucket bounds for histograms in seconds, 1 ms to 5 min.</summary>
    public static readonly double[] SecondsBuckets =
        [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, InstrumentSeries> _instruments = new();
    private readonly Lock _collecting = new();

    public PrometheusMetricsCollector()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name.StartsWith(MeterPrefix, StringComparison.Ordinal))
            {
                _instruments.TryAdd(instrument, new InstrumentSeries(instrument));
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>The current values as a Prometheus text exposition.</summary>
    public string Render()
    {
        var text = new StringBuilder(4096);
        lock (_collecting)
        {
            // Observable gauges report their current values now; drop what they said last time,
            // so a series that disappeared (an enclave gone) disappears here too.
            foreach (var series in _instruments.Values.Where(s => s.Kind == InstrumentKind.Gauge))
            {
                series.Clear();
            }

            _listener.RecordObservableInstruments();
            foreach (var series in _instruments.Values.OrderBy(s => s.Name, StringComparer.Ordinal))
            {
                series.WriteTo(text);
            }
        }

        WriteProcessMetrics(text);
        return text.ToString();
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (_instruments.TryGetValue(instrument, out var series))
        {
            series.Record(value, tags);
        }
    }

    private static void WriteProcessMetrics(StringBuilder text)
    {
        using var process = Process.GetCurrentProcess();
        Gauge(text, "process_resident_memory_bytes", "Resident memory of this process.", process.WorkingSet64);
        Counter(text, "process_cpu_seconds_total", "CPU time this process used.", process.TotalProcessorTime.TotalSeconds);
        Gauge(text, "process_start_time_seconds", "When this process started, in Unix seconds.",
            new DateTimeOffset(process.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds() / 1000.0);
        Gauge(text, "dotnet_gc_heap_bytes", "Bytes on the managed heap.", GC.GetTotalMemory(false));
    }

    private static void Gauge(StringBuilder text, string name, string help, double value) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
            .Append("# TYPE ").Append(name).Append(" gauge\n")
            .Append(name).Append(' ').Append(Format(value)).Append('\n');

    private static void Counter(StringBuilder text, string name, string help, double value) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
            .Append("# TYPE ").Append(name).Append(" counter\n")
            .Append(name).Append(' ').Append(Format(value)).Append('\n');

    internal static string Format(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf" : value.ToString("R", CultureInfo.InvariantCulture);
}
