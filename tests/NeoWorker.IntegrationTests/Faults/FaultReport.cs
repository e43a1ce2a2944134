using System.Collections.Concurrent;
using System.Globalization;
using NeoWorker.IntegrationTests.Infrastructure;

namespace NeoWorker.IntegrationTests.Faults;

/// <summary>Collects each scenario's figures and writes them as a markdown table to .local/faults/ (the README's table comes from there).</summary>
internal sealed class FaultReport
{
    private readonly ConcurrentQueue<FaultFigures> _rows = new();

    public void Add(FaultFigures figures) => _rows.Enqueue(figures);

    public static string Header =>
        "| Fault | Jobs submitted | Client retries | Lost | Duplicated executions | Re-run after the worker died with the output | Interrupted jobs | Recovery time | Longest gap between events | Scenario time |\n"
        + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|";

    public static string Row(FaultFigures f) => string.Create(CultureInfo.InvariantCulture,
        $"| {f.Fault} | {f.Submitted} | {f.Retries} | {f.Lost} | {f.DuplicatedExecutions} | {f.ReExecutedLostOutputs} | {f.Interrupted} | {f.Recovery.TotalSeconds:0.0} s | {f.LongestGap.TotalSeconds:0.0} s | {f.Total.TotalSeconds:0} s |");

    public void Write()
    {
        if (_rows.IsEmpty)
        {
            return;
        }

        var directory = Path.Combine(RepositoryPaths.Root, ".local", "faults");
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, $"{DateTime.UtcNow:yyyy-MM-ddTHHmmss}Z.md");
        File.WriteAllLines(file, [Header, .. _rows.Select(Row)]);
    }
}
