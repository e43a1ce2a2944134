using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;

namespace NeoWorker.ServiceDefaults.Observability;

/// <summary>One instrument's time series (one per distinct tag set) and their Prometheus rendering.</summary>
internal sealed class InstrumentSeries
{
    private readonly ConcurrentDictionary<string, SeriesValue> _series = new(StringComparer.Ordinal);
    private readonly string _help;
    private readonly bool _monotonic;

    public InstrumentSeries(Instrument instrument)
    {
        var type = instrument.GetType();
        var generic = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        Kind = generic == typeof(Histogram<>) ? InstrumentKind.Histogram
            : generic == typeof(Counter<>) || generic == typeof(UpDownCounter<>) ? InstrumentKind.Sum
            : InstrumentKind.Gauge;
        _monotonic = generic == typeof(Counter<>) || generic == typeof(ObservableCounter<>);
        Name = PrometheusName(instrument.Name, instrument.Unit, _monotonic);
        _help = (instrument.Description ?? instrument.Name).ReplaceLineEndings(" ");
    }

    public InstrumentKind Kind { get; }

    public string Name { get; }

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = Labels(tags);
        var series = _series.GetOrAdd(labels, _ => new SeriesValue(Kind == InstrumentKind.Histogram));
        lock (series)
        {
            switch (Kind)
            {
                case InstrumentKind.Sum:
                    series.Sum += value;
                    break;
                case InstrumentKind.Gauge:
                    series.Sum = value;
                    break;
                case InstrumentKind.Histogram:
                    series.Observe(value, PrometheusMetricsCollector.SecondsBuckets);
                    break;
            }
        }
    }

    public void Clear() => _series.Clear();

    public void WriteTo(StringBuilder text)
    {
        if (_series.IsEmpty)
        {
            return;
        }

        var type = Kind switch
        {
            InstrumentKind.Histogram => "histogram",
            InstrumentKind.Sum when _monotonic => "counter",
            _ when _monotonic => "counter",
            _ => "gauge",
        };
        text.Append("# HELP ").Append(Name).Append(' ').Append(_help).Append('\n');
        text.Append("# TYPE ").Append(Name).Append(' ').Append(type).Append('\n');
        foreach (var (labels, series) in _series.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            lock (series)
            {
                if (Kind == InstrumentKind.Histogram)
                {
                    WriteHistogram(text, labels, series);
                }
                else
                {
                    text.Append(Name).Append(Braced(labels)).Append(' ').Append(PrometheusMetricsCollector.Format(series.Sum)).Append('\n');
                }
            }
        }
    }

    private void WriteHistogram(StringBuilder text, string labels, SeriesValue series)
    {
        var bounds = PrometheusMetricsCollector.SecondsBuckets;
        long cumulative = 0;
        for (var i = 0; i <= bounds.Length; i++)
        {
            cumulative += series.Buckets![i];
            var le = i < bounds.Length ? PrometheusMetricsCollector.Format(bounds[i]) : "+Inf";
            var withLe = labels.Length == 0 ? $"le=\"{le}\"" : $"{labels},le=\"{le}\"";
            text.Append(Name).Append("_bucket{").Append(withLe).Append("} ").Append(cumulative).Append('\n');
        }

        text.Append(Name).Append("_sum").Append(Braced(labels)).Append(' ').Append(PrometheusMetricsCollector.Format(series.Sum)).Append('\n');
        text.Append(Name).Append("_count").Append(Braced(labels)).Append(' ').Append(series.Count).Append('\n');
    }

    private static string Braced(string labels) => labels.Length == 0 ? "" : "{" + labels + "}";

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0)
        {
            return "";
        }

        var pairs = new List<string>(tags.Length);
        foreach (var (key, value) in tags)
        {
            pairs.Add($"{Sanitize(key)}=\"{Escape(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "")}\"");
        }

        pairs.Sort(StringComparer.Ordinal);
        return string.Join(',', pairs);
    }

    /// <summary>neoworker.job.execution.duration with unit s → neoworker_job_execution_duration_seconds; counters end in _total.</summary>
    internal static string PrometheusName(string name, string? unit, bool monotonic)
    {
        var result = Sanitize(name);
        var suffix = unit switch
        {
            "s" => "_seconds",
            "By" => "_bytes",
            _ => "",
        };
        if (suffix.Length > 0 && !result.EndsWith(suffix, StringComparison.Ordinal))
        {
            result += suffix;
        }

        return monotonic && !result.EndsWith("_total", StringComparison.Ordinal) ? result + "_total" : result;
    }

    private static string Sanitize(string name)
    {
        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (!(char.IsAsciiLetterOrDigit(chars[i]) || chars[i] == '_'))
            {
                chars[i] = '_';
            }
        }

        return chars.Length > 0 && char.IsAsciiDigit(chars[0]) ? "_" + new string(chars) : new string(chars);
    }

    private static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
