using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace NeoWorker.Enclave.Protocol;

/// <summary>
/// One runner child process and its line protocol: requests go to stdin, replies come from stdout,
/// stderr goes to the log. At most one request is outstanding (the runner runs one job at a time).
/// </summary>
internal sealed class RunnerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ILogger _logger;
    private readonly string _enclaveId;
    private readonly TaskCompletionSource<RunnerMessage> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private TaskCompletionSource<RunnerMessage>? _pending;
    private string? _pendingId;
    private Task? _stdoutPump;
    private Task? _stderrPump;

    private RunnerProcess(Process process, string enclaveId, ILogger logger)
    {
        _process = process;
        _enclaveId = enclaveId;
        _logger = logger;
    }

    public int ProcessId { get; private set; }

    /// <summary>The enclave key and its evidence, as the runner announced them when ready (null: no evidence).</summary>
    public RunnerAttestation? Attestation { get; private set; }

    /// <summary>Completes with the exit code when the process ends or its stdout closes.</summary>
    public Task<int> Exited => _exited.Task;

    /// <summary>True once the runner wrote a line that is not a protocol message (it is then killed).</summary>
    public bool ProtocolViolated { get; private set; }

    /// <summary>True once the process has ended, even if its output pump has not noticed yet.</summary>
    public bool HasExited => _exited.Task.IsCompleted || ProcessHasExited();

    public static async Task<RunnerProcess> StartAsync(RunnerStartInfo startInfo, string enclaveId, ILogger logger,
        TimeSpan readyTimeout, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo(startInfo.FileName)
        {
            WorkingDirectory = startInfo.WorkingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
            StandardErrorEncoding = System.Text.Encoding.UTF8,
        };
        foreach (var argument in startInfo.Arguments)
        {
            psi.ArgumentList.Add(argument);
        }

        // The enclave gets only what it needs: never the worker's connection strings or passwords.
        psi.Environment.Clear();
        foreach (var (key, value) in startInfo.Environment)
        {
            psi.Environment[key] = value;
        }

        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        if (!process.Start())
        {
            throw new EnclaveUnavailableException($"Enclave {enclaveId}: could not start '{startInfo.FileName}'.");
        }

        var runner = new RunnerProcess(process, enclaveId, logger) { ProcessId = process.Id };
        runner._process.StandardInput.AutoFlush = false;
        runner._stdoutPump = Task.Run(runner.PumpStdoutAsync, CancellationToken.None);
        runner._stderrPump = Task.Run(runner.PumpStderrAsync, CancellationToken.None);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(readyTimeout);
        try
        {
            var ready = await runner._ready.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
            runner.Attestation = ready.Attestation;
            return runner;
        }
        catch (Exception ex) when (ex is OperationCanceledException or EnclaveUnavailableException)
        {
            var exit = runner.Exited.IsCompletedSuccessfully
                ? runner.Exited.Result.ToString(System.Globalization.CultureInfo.InvariantCulture)
                : "still running";

            // A runner that is not ready in time is stuck: kill it now instead of waiting for it to end by itself.
            runner.Kill();
            await runner.DisposeAsync().ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw new EnclaveUnavailableException(
                $"Enclave {enclaveId}: the runner did not report ready within {readyTimeout.TotalSeconds:0} s (exit: {exit}).", ex);
        }
    }

    /// <summary>Sends one request and returns the task of its reply (matched by id).</summary>
    public async Task<Task<RunnerMessage>> SendAsync(string id, string requestLine, CancellationToken cancellationToken)
    {
        var pending = new TaskCompletionSource<RunnerMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_pending is { Task.IsCompleted: false })
            {
                throw new InvalidOperationException($"Enclave {_enclaveId} already runs a request.");
            }

            _pendingId = id;
            _pending = pending;
            await _process.StandardInput.WriteAsync(requestLine.AsMemory(), cancellationToken).ConfigureAwait(false);
            await _process.StandardInput.WriteAsync("\n".AsMemory(), cancellationToken).ConfigureAwait(false);
            await _process.StandardInput.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            // The request did not get through whole, so it is not outstanding; a runner whose input is
            // closed, or that holds half a request line, is of no further use.
            _pending = null;
            _pendingId = null;
            Kill();
            if (ex is OperationCanceledException)
            {
                throw;
            }

            throw new EnclaveUnavailableException($"Enclave {_enclaveId}: the runner's input is closed.", ex);
        }
        finally
        {
            _writeLock.Release();
        }

        return pending.Task;
    }

    /// <summary>
    /// Writes a request that gets no reply of its own (a cancel: its answer is the outstanding job's result).
    /// A runner whose input is closed is left to its exit and the watchdog.
    /// </summary>
    public async Task SendControlAsync(string requestLine)
    {
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            await _process.StandardInput.WriteAsync(requestLine.AsMemory()).ConfigureAwait(false);
            await _process.StandardInput.WriteAsync("\n".AsMemory()).ConfigureAwait(false);
            await _process.StandardInput.FlushAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The runner is going away; Exited or the watchdog decides.
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private bool ProcessHasExited()
    {
        try
        {
            return _process.HasExited;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }

    private async Task PumpStdoutAsync()
    {
        try
        {
            while (await _process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                Dispatch(line);
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // The process is going away; Exited reports it.
        }

        int exitCode;
        try
        {
            await _process.WaitForExitAsync().ConfigureAwait(false);
            exitCode = _process.ExitCode;
        }
        catch (InvalidOperationException)
        {
            exitCode = -1;
        }

        _ready.TrySetException(new EnclaveUnavailableException($"Enclave {_enclaveId}: the runner exited with code {exitCode} before it was ready."));
        _exited.TrySetResult(exitCode);
    }

    private void Dispatch(string line)
    {
        RunnerMessage? message;
        try
        {
            message = JsonSerializer.Deserialize(line, RunnerJsonContext.Default.RunnerMessage);
        }
        catch (JsonException)
        {
            message = null;
        }

        if (message?.Type is null)
        {
            // A runner that corrupts the protocol cannot be trusted with the next job.
            ProtocolViolated = true;
            Log.RunnerProtocolViolation(_logger, _enclaveId, line.Length);
            Kill();
            return;
        }

        if (message.Type == "ready")
        {
            _ready.TrySetResult(message);
            return;
        }

        var pending = _pending;
        if (pending is not null && (message.Id == _pendingId || message.Type == "error"))
        {
            pending.TrySetResult(message);
            return;
        }

        Log.RunnerUnexpectedReply(_logger, _enclaveId, message.Type, message.Id);
    }

    private async Task PumpStderrAsync()
    {
        try
        {
            while (await _process.StandardError.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                Log.RunnerStderr(_logger, _enclaveId, line);
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // The process is going away.
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException)
        {
            // Already closed.
        }

        // A runner ends by itself when its stdin closes; give it a moment, then make sure.
        if (!HasExited)
        {
            await Task.WhenAny(Exited, Task.Delay(TimeSpan.FromSeconds(2))).ConfigureAwait(false);
            Kill();
        }

        await Task.WhenAll(_stdoutPump ?? Task.CompletedTask, _stderrPump ?? Task.CompletedTask)
            .WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        _process.Dispose();
        _writeLock.Dispose();
    }
}
