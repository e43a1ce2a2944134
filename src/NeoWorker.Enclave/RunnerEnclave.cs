using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using NeoWorker.Contracts;
using NeoWorker.Enclave.Configuration;
using NeoWorker.Enclave.Protocol;

namespace NeoWorker.Enclave;

/// <summary>
/// An enclave backed by a runner process, with the host-side watchdog: a runner that exits,
/// stops answering or breaks the protocol is killed and replaced, and its job ends with a reason.
/// </summary>
internal sealed class RunnerEnclave : IEnclave
{
    private readonly IRunnerLauncher _launcher;
    private readonly TeeOptions _options;
    private readonly ILogger _logger;
    private readonly int _slot;
    private static readonly TimeSpan RunnerEndGrace = TimeSpan.FromMilliseconds(300);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private RunnerProcess? _process;
    private int _restarts;

    public RunnerEnclave(int slot, IRunnerLauncher launcher, TeeOptions options, ILogger logger)
    {
        _slot = slot;
        _launcher = launcher;
        _options = options;
        _logger = logger;
        Id = $"{(launcher.IsSimulated ? "sim" : "occlum")}-{Environment.MachineName}-{Environment.ProcessId}-{slot}";
    }

    public string Id { get; }

    public bool IsSimulated => _launcher.IsSimulated;

    public int Restarts => _restarts;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await EnsureRunningAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<EnclaveResult> ExecuteAsync(EnclaveJob job, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var process = await EnsureRunningAsync(cancellationToken).ConfigureAwait(false);
            var request = new ExecuteRequest(job.JobId, job.Code, job.Input, job.SealedSecrets, job.SealedNamedSecrets, job.UserId, job.FunctionId,
                new RunnerLimits(job.TimeoutMs, _options.Limits.JobMemoryMB, _options.Limits.MaxResultBytes, _options.Limits.MaxLogBytes));
            var line = JsonSerializer.Serialize(request, RunnerJsonContext.Default.ExecuteRequest);

            var clock = Stopwatch.StartNew();
            var reply = await process.SendAsync(job.JobId, line, cancellationToken).ConfigureAwait(false);

            // The runner enforces the job's limit itself; the watchdog only catches a runner that can't.
            var watchdog = TimeSpan.FromMilliseconds(job.TimeoutMs + _options.WatchdogGraceMs);
            using var watchdogTimer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var expiry = Task.Delay(watchdog, watchdogTimer.Token);
            var first = await Task.WhenAny(reply, process.Exited, expiry).ConfigureAwait(false);
            await watchdogTimer.CancelAsync().ConfigureAwait(false);

            if (first == reply)
            {
                var result = ToResult(reply.Result, process.Attestation);
                if (result.ErrorCode == ErrorCodes.MemoryLimit)
                {
                    await ReplaceIfEndingAsync(process).ConfigureAwait(false);
                }

                return result;
            }

            if (first == process.Exited)
            {
                var exitCode = process.Exited.Result;
                await ReplaceAsync($"exit code {exitCode} during a job", CancellationToken.None).ConfigureAwait(false);
                return Failure(JobStatuses.Failed, ErrorCodes.EnclaveCrashed,
                    $"The enclave process exited (code {exitCode}) while running the job.", clock.ElapsedMilliseconds);
            }

            // Cancellation of the caller or the watchdog: either way the job's state inside is unknown.
            await ReplaceAsync(cancellationToken.IsCancellationRequested ? "cancellation" : "no answer within the watchdog limit",
                CancellationToken.None).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            return Failure(JobStatuses.TimedOut, ErrorCodes.EnclaveUnresponsive,
                $"The enclave did not answer within {watchdog.TotalMilliseconds:0} ms and was replaced.", clock.ElapsedMilliseconds);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Some heap exhaustion cannot be contained by the isolate; the runner then answers the job and
    /// ends itself. Replace it now, so the next job is not sent to a dying process and blamed for it.
    /// </summary>
    private async Task ReplaceIfEndingAsync(RunnerProcess process)
    {
        var ended = await Task.WhenAny(process.Exited, Task.Delay(RunnerEndGrace)).ConfigureAwait(false);
        if (ended == process.Exited)
        {
            await ReplaceAsync("the runner ended itself after a job exhausted its heap", CancellationToken.None).ConfigureAwait(false);
        }
    }

    private EnclaveResult ToResult(RunnerMessage message, RunnerAttestation? attestation)
    {
        if (message.Type == "result" && message.Status is JobStatuses.Succeeded or JobStatuses.Failed or JobStatuses.TimedOut)
        {
            var proof = message.Proof is { } signed && attestation is not null
                ? new EnclaveProof(signed.Statement, signed.Signature, attestation.EnclavePublicKey, attestation.EnclaveKeyId,
                    attestation.Evidence, attestation.Simulated, attestation.MrEnclave)
                : null;
            return new EnclaveResult(message.Status, message.Result, message.ErrorCode, message.Error, message.Logs,
                message.LogsTruncated, message.ExecutionTimeMs, message.GasUsed, Id, proof);
        }

        return Failure(JobStatuses.Failed, message.ErrorCode ?? ErrorCodes.InternalError,
            message.Error ?? $"The enclave answered with an unexpected '{message.Type}' message.", message.ExecutionTimeMs);
    }

    private EnclaveResult Failure(string status, string errorCode, string error, long elapsedMs) =>
        new(status, null, errorCode, error, null, false, elapsedMs, 0, Id);

    private async Task<RunnerProcess> EnsureRunningAsync(CancellationToken cancellationToken)
    {
        if (_process is { HasExited: false } running)
        {
            return running;
        }

        if (_process is not null)
        {
            await DisposeProcessAsync().ConfigureAwait(false);
            _restarts++;
            Log.EnclaveReplaced(_logger, Id, "an exit between jobs", _restarts);
        }

        _process = await RunnerProcess.StartAsync(_launcher.Describe(_slot), Id, _logger,
            TimeSpan.FromSeconds(_options.StartTimeoutSeconds), cancellationToken).ConfigureAwait(false);
        Log.EnclaveStarted(_logger, Id, _process.ProcessId, IsSimulated);
        return _process;
    }

    private async Task ReplaceAsync(string reason, CancellationToken cancellationToken)
    {
        _process?.Kill();
        await DisposeProcessAsync().ConfigureAwait(false);
        _restarts++;
        Log.EnclaveReplaced(_logger, Id, reason, _restarts);
        try
        {
            await EnsureRunningAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (EnclaveUnavailableException ex)
        {
            // The next job tries again; the pool never shrinks for good.
            Log.EnclaveRestartFailed(_logger, ex, Id);
        }
    }

    private async Task DisposeProcessAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            await process.DisposeAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            await DisposeProcessAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }
}
