using System.Globalization;

namespace NeoWorker.Benchmarks.Reporting;

internal static class Format
{
    /// <summary>Three significant digits or so, invariant culture: 0.0123, 1.23, 12.3, 123, 1234.</summary>
    public static string Number(double value) => value switch
    {
        double.NaN => "—",
        0 => "0",
        _ when Math.Abs(value) >= 100 => value.ToString("0", CultureInfo.InvariantCulture),
        _ when Math.Abs(value) >= 10 => value.ToString("0.0", CultureInfo.InvariantCulture),
        _ when Math.Abs(value) >= 1 => value.ToString("0.00", CultureInfo.InvariantCulture),
        _ => value.ToString("0.###", CultureInfo.InvariantCulture),
    };

    public static string Number(double? value) => value is { } v ? Number(v) : "—";
}
