namespace NeoWorker.ServiceDefaults.Observability;

/// <summary>The running value of one time series; callers lock it.</summary>
internal sealed class SeriesValue(bool histogram)
{
    public double Sum { get; set; }

    public long Count { get; private set; }

    /// <summary>Per-bucket (not cumulative) counts; the last one is above the highest bound.</summary>
    public long[]? Buckets { get; } = histogram ? new long[PrometheusMetricsCollector.SecondsBuckets.Length + 1] : null;

    public void Observe(double value, double[] bounds)
    {
        var index = Array.BinarySearch(bounds, value);
        Buckets![index >= 0 ? index : ~index]++;
        Sum += value;
        Count++;
    }
}
