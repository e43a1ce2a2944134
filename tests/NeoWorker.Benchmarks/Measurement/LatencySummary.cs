namespace NeoWorker.Benchmarks.Measurement;

/// <summary>Milliseconds: count, mean and nearest-rank percentiles.</summary>
internal sealed record LatencySummary(int Count, double Mean, double P50, double P95, double P99, double Max)
{
    public static LatencySummary? From(IEnumerable<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToArray();
        if (sorted.Length == 0)
        {
            return null;
        }

        return new LatencySummary(sorted.Length, Math.Round(sorted.Average(), 2), Percentile(sorted, 50), Percentile(sorted, 95),
            Percentile(sorted, 99), Math.Round(sorted[^1], 2));
    }

    /// <summary>Nearest rank of an ascending array.</summary>
    public static double Percentile(double[] sorted, double percent)
    {
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Length);
        return Math.Round(sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)], 2);
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToArray();
        return sorted.Length == 0 ? double.NaN : Percentile(sorted, 50);
    }
}
