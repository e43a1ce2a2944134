using System.Text.RegularExpressions;
using NeoWorker.IntegrationTests.Infrastructure;

namespace NeoWorker.IntegrationTests.Faults;

/// <summary>What the worker processes of a scenario logged about each job, read from their output.</summary>
internal static partial class WorkerLogs
{
    /// <summary>Each execution that ran to completion in an enclave: (job, index of the worker that logged it), in order per worker.</summary>
    public static ILookup<Guid, int> Executions(IReadOnlyList<WorkerProcess> workers) =>
        workers.SelectMany((worker, index) => worker.OutputLines
                .Select(line => ExecutedLine().Match(line))
                .Where(m => m.Success)
                .Select(m => (JobId: Guid.Parse(m.Groups["id"].Value), Worker: index)))
            .ToLookup(e => e.JobId, e => e.Worker);

    /// <summary>The jobs whose outcome the worker stored (it logs that right after the commit).</summary>
    public static HashSet<Guid> Stored(WorkerProcess worker) =>
        [.. worker.OutputLines.Select(line => FinishedLine().Match(line)).Where(m => m.Success).Select(m => Guid.Parse(m.Groups["id"].Value))];

    public static int Count(WorkerProcess worker, string fragment) =>
        worker.OutputLines.Count(line => line.Contains(fragment, StringComparison.Ordinal));

    public static string Tail(WorkerProcess worker, int lines = 40) => string.Join('\n', worker.OutputLines.TakeLast(lines));

    [GeneratedRegex(@"Job (?<id>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}) ran on enclave ")]
    private static partial Regex ExecutedLine();

    [GeneratedRegex(@"Job (?<id>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}) finished ")]
    private static partial Regex FinishedLine();
}
