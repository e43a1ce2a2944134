using System.Collections.Concurrent;
using System.Diagnostics;

namespace NeoWorker.IntegrationTests.Infrastructure;

/// <summary>The worker as its own process (as deployed), its output kept for assertions.</summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WorkerProcess(Process process) => _process = process;

    public string Output => string.Join('\n', _output);

    /// <summary>The lines written so far (stdout and stderr, in arrival order).</summary>
    public IReadOnlyList<string> OutputLines => [.. _output];

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Set when the test killed it with SIGKILL: whatever it held in memory was lost.</summary>
    public bool WasKilled { get; private set; }

    public static async Task<WorkerProcess> StartAsync(IReadOnlyDictionary<string, string> environment, TimeSpan startTimeout)
    {
        var assembly = RepositoryPaths.WorkerAssembly;
        if (!File.Exists(assembly))
        {
            throw new InvalidOperationException($"The worker is not built at {assembly}; build NeoWorker.sln first (ops/test.sh does).");
        }

        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(assembly);
        // The management port (health, metrics): any free one unless the caller names it, so
        // several workers and the one ops/up.sh started never compete for 5090.
        startInfo.Environment["Urls"] = "http://127.0.0.1:0";
        foreach (var (key, value) in environment)
        {
            startInfo.Environment[key] = value;
        }

        var worker = new WorkerProcess(new Process { StartInfo = startInfo, EnableRaisingEvents = true });
        worker._process.OutputDataReceived += (_, e) => worker.Collect(e.Data);
        worker._process.ErrorDataReceived += (_, e) => worker.Collect(e.Data);
        // Exited can fire before the last output lines are read; WaitForExitAsync also waits for the
        // redirected streams to end, so the message carries what the worker said before it exited.
        worker._process.Exited += (_, _) => _ = Task.Run(async () =>
        {
            try
            {
                await worker._process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // A grandchild may hold the streams open; report what there is.
            }

            worker._started.TrySetException(new InvalidOperationException("The worker exited during start-up:\n" + worker.Output));
        });
        worker._process.Start();
        worker._process.BeginOutputReadLine();
        worker._process.BeginErrorReadLine();

        try
        {
            await worker._started.Task.WaitAsync(startTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await worker.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"The worker did not start within {startTimeout}:\n" + worker.Output);
        }

        return worker;
    }

    private void Collect(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);

        // The host logs this only after every hosted service started: enclaves warm, bus consuming.
        if (line.Contains("Application started", StringComparison.Ordinal))
        {
            _started.TrySetResult();
        }
    }

    /// <summary>SIGKILL to the worker and its enclaves at once, as when its container or machine dies; returns once it is gone.</summary>
    public async Task KillAsync()
    {
        WasKilled = true;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
    }

    /// <summary>SIGTERM to the worker process only, as <c>docker stop</c> or systemd send it.</summary>
    public void Terminate()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("Could not run kill.");
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -TERM {ProcessId} exited with {kill.ExitCode}.");
        }
    }

    /// <summary>Waits for the process to end and its output to be read to the end; false on timeout.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }

        _process.Dispose();
    }
}
