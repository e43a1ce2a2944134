using System.Collections;
using NeoWorker.Benchmarks;

// NeoWorker's benchmark (issue 9); run it through ops/bench.sh, which starts nothing but checks
// that ops/up.sh's services are there and exports their settings. See README.md here.
var options = BenchmarkOptions.Parse(args, (IDictionary)Environment.GetEnvironmentVariables(), Console.Error);
if (options is null)
{
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var command = Environment.GetEnvironmentVariable("NEOWORKER_BENCH_COMMAND") is { Length: > 0 } given
    ? given
    : string.Join(' ', ["NeoWorker.Benchmarks", .. args]);
return await new BenchmarkRun(options, command).RunAsync(cancel.Token);
