using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using NeoWorker.Enclave.Metrics;

namespace NeoWorker.Enclave.Tests;

/// <summary>
/// An <see cref="EnclaveMetrics"/> made by a real <see cref="IMeterFactory"/>, and a MeterListener on its meter alone
/// (tests running side by side each have their own), as an exporter would listen.
/// </summary>
internal sealed class MetricRecorder : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<Measurement> _measurements = new();

    public MetricRecorder()
    {
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        Metrics = new EnclaveMetrics(_services.GetRequiredService<IMeterFactory>());
        var meter = Metrics.Meter;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                Instruments.Add(instrument);
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.Start();
    }

    public EnclaveMetrics Metrics { get; }

    public ConcurrentBag<Instrument> Instruments { get; } = [];

    public IReadOnlyList<Measurement> Measurements => [.. _measurements];

    /// <summary>The current value of an observable gauge.</summary>
    public double Observe(string gauge)
    {
        _measurements.Clear();
        _listener.RecordObservableInstruments();
        return Assert.Single(_measurements, m => m.Instrument == gauge).Value;
    }

    /// <summary>Measurements of one instrument whose tag has the given value.</summary>
    public IReadOnlyList<Measurement> Of(string instrument, string tag, string value) =>
        [.. _measurements.Where(m => m.Instrument == instrument && m.Tags.TryGetValue(tag, out var v) && Equals(v, value))];

    public void Dispose()
    {
        _listener.Dispose();
        _services.Dispose();
    }

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>();
        foreach (var (key, tagValue) in tags)
        {
            copy[key] = tagValue;
        }

        _measurements.Enqueue(new Measurement(instrument.Name, value, copy));
    }

    internal sealed record Measurement(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags);
}
