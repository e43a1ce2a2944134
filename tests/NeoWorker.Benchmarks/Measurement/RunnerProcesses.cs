using System.Diagnostics;
using System.Text.Json;

namespace NeoWorker.Benchmarks.Measurement;

/// <summary>
/// Starts the enclave runner the way the worker's simulation backend does (same node flags, same
/// environment, nothing inherited) and speaks its line protocol, for the probes and the baseline.
/// </summary>
internal static class RunnerProcesses
{
    public static ProcessStartInfo Runner(BenchmarkOptions options)
    {
        var start = new ProcessStartInfo(options.NodePath)
        {
            WorkingDirectory = options.RunnerDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--no-node-snapshot");
        start.ArgumentList.Add("--max-old-space-size=1024");
        start.ArgumentList.Add(Path.Combine(options.RunnerDirectory, "src", "index.js"));
        start.Environment.Clear();
        start.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
        start.Environment["NODE_ENV"] = "production";
        start.Environment["NEOWORKER_ENCLAVE_SLOT"] = "0";
        start.Environment["NEOWORKER_SIMULATED"] = "1";
        return start;
    }

    /// <summary>One of this project's scripts; <paramref name="isolatedVm"/> adds the flag isolated-vm needs (it slows node's start).</summary>
    public static ProcessStartInfo Script(BenchmarkOptions options, string script, bool isolatedVm, params string[] arguments)
    {
        var start = new ProcessStartInfo(options.NodePath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (isolatedVm)
        {
            start.ArgumentList.Add("--no-node-snapshot");
        }

        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "scripts", script));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    /// <summary>An execute request as the worker's host writes it (RunnerEnclave), with the default limits.</summary>
    public static string ExecuteLine(string id, string code, string? input, string functionId) => JsonSerializer.Serialize(new
    {
        type = "execute",
        id,
        code,
        input,
        sealedSecrets = (string?)null,
        namedSecrets = (object?)null,
        userId = "bench",
        functionId,
        limits = new { timeoutMs = 30000, memoryMb = 128, maxResultBytes = 1048576, maxLogBytes = 65536 },
    });

    /// <summary>Reads protocol lines until one of the given type; null when stdout ends first.</summary>
    public static async Task<JsonDocument?> ReadMessageAsync(Process process, string type, CancellationToken cancellationToken)
    {
        while (await process.StandardOutput.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            var message = JsonDocument.Parse(line);
            if (message.RootElement.TryGetProperty("type", out var t) && t.GetString() == type)
            {
                return message;
            }

            message.Dispose();
        }

        return null;
    }
}

/// <summary>A long-lived runner driven over its pipe, one job after another: the enclave alone, without broker or database.</summary>
internal sealed record RunnerProbeResult(int Iterations, double StartMs, LatencySummary? RoundTripMs, LatencySummary? ExecutionTimeMs, string? Error);

/// <summary>The runner's per-job work in-process (scripts/runner-profile.js): an isolate's life alone and runJob().</summary>
internal sealed record RunnerProfileResult(
    LatencySummary? IsolateMs,
    LatencySummary? ContextMs,
    LatencySummary? RunJobMs,
    LatencySummary? ExecutionTimeMs,
    LatencySummary? SignMs,
    LatencySummary? PreparedRunJobMs,
    string? Error);

internal static class RunnerProbe
{
    public static async Task<RunnerProbeResult> OverPipeAsync(BenchmarkOptions options, string code, Func<int, string> input, int iterations,
        CancellationToken cancellationToken)
    {
        using var process = new Process { StartInfo = RunnerProcesses.Runner(options) };
        var started = Stopwatch.GetTimestamp();
        process.Start();
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginErrorReadLine();
        try
        {
            using (var ready = await RunnerProcesses.ReadMessageAsync(process, "ready", cancellationToken).ConfigureAwait(false))
            {
                if (ready is null)
                {
                    return new RunnerProbeResult(0, 0, null, null, "the runner ended before it was ready");
                }
            }

            var startMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var roundTrips = new List<double>();
            var executions = new List<double>();
            for (var i = 0; i < iterations + 10; i++)
            {
                var line = RunnerProcesses.ExecuteLine($"probe-{i}", code, input(i), "bench-probe");
                var sent = Stopwatch.GetTimestamp();
                await process.StandardInput.WriteLineAsync(line.AsMemory(), cancellationToken).ConfigureAwait(false);
                await process.StandardInput.FlushAsync(cancellationToken).ConfigureAwait(false);
                using var result = await RunnerProcesses.ReadMessageAsync(process, "result", cancellationToken).ConfigureAwait(false);
                var elapsed = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
                if (result is null || result.RootElement.GetProperty("status").GetString() != "Succeeded")
                {
                    return new RunnerProbeResult(i, startMs, null, null, $"job {i} did not succeed: {result?.RootElement.GetRawText() ?? "no answer"}");
                }

                if (i >= 10)
                {
                    roundTrips.Add(elapsed);
                    executions.Add(result.RootElement.GetProperty("executionTimeMs").GetDouble());
                }
            }

            return new RunnerProbeResult(iterations, Math.Round(startMs, 1), LatencySummary.From(roundTrips), LatencySummary.From(executions), null);
        }
        finally
        {
            process.StandardInput.Close();
            using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await process.WaitForExitAsync(exit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill();
            }
        }
    }

    public static async Task<RunnerProfileResult> InProcessAsync(BenchmarkOptions options, string code, string input, int iterations,
        CancellationToken cancellationToken)
    {
        using var process = new Process
        {
            StartInfo = RunnerProcesses.Script(options, "runner-profile.js", true, options.RunnerDirectory,
                iterations.ToString(System.Globalization.CultureInfo.InvariantCulture), code, input),
        };
        process.Start();
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            return new RunnerProfileResult(null, null, null, null, null, null, $"runner-profile.js exited {process.ExitCode}: {(await stderr.ConfigureAwait(false)).Trim()}");
        }

        using var json = JsonDocument.Parse(await stdout.ConfigureAwait(false));
        LatencySummary? Read(string name) => LatencySummary.From(json.RootElement.GetProperty(name).EnumerateArray().Select(e => e.GetDouble()));
        return new RunnerProfileResult(Read("isolateMs"), Read("contextMs"), Read("runJobMs"), Read("executionTimeMs"), Read("signMs"), Read("preparedRunJobMs"), null);
    }
}
