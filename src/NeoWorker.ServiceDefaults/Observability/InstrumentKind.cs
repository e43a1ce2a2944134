namespace NeoWorker.ServiceDefaults.Observability;

/// <summary>How an instrument's measurements are kept and exposed.</summary>
internal enum InstrumentKind
{
    /// <summary>Measurements are increments (Counter, UpDownCounter); exposed as a counter (or gauge for up/down).</summary>
    Sum,

    /// <summary>Measurements are observations in histogram buckets.</summary>
    Histogram,

    /// <summary>Measurements are current values (observable gauges and counters).</summary>
    Gauge,
}
