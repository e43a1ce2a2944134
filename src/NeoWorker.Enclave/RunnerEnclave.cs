using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using NeoWorker.Contracts;
using NeoWorker.Enclave.Configuration;
using NeoWorker.Enclave.Metrics;
using NeoWorker.Enclave.Protocol;

namespace NeoWorker.Enclave;

/// <summary>
/// An enclave backed by a runner process, with the host-side watchdog: a runner that exits,
/// stops answering or breaks the protocol is killed and replaced, and its job ends with a reason.
/// A job whose <see cref="EnclaveJob.StopRequested"/> fires is canceled in the runner, or the runner is replaced.
/// </summary>
internal sealed class RunnerEnclave : IEnclave, IObservedEnclave
{
    // A runner that announced it ends itself (result "ending") gets this long before it is killed.
    private static readonly TimeSpan RunnerEndGrace = TimeSpan.FromSeconds(2);

    private readonly IRunnerLauncher _launcher;
    private readonly TeeOptions _options;
    private readonly ILogger _logger;
    private readonly EnclaveMetrics? _metrics;
    private readonly int _slot;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile RunnerProcess? _process;
    private volatile bool _busy;
    private int _restarts;

    public RunnerEnclave(int slot, IRunnerLauncher launcher, TeeOptions options, ILogger logger, EnclaveMetrics? metrics = null)
    {
        _slot = slot;
        _launcher = launcher;
        _options = options;
        _logger = logger;
        _metrics = metrics;
        Id = $"{(launcher.IsSimulated ? "sim" : "occlum")}-{Environment.MachineName}-{Environment.ProcessId}-{slot}";
        _metrics?.Track(this);
    }

    public string Id { get; }

    public bool IsSimulated => _launcher.IsSimulated;

    public int Restarts => Volatile.Read(ref _restarts);

    /// <summary>The runner process is up and has reported ready.</summary>
    public bool IsAlive => _process is { HasExited: false };

    /// <summary>A job has been sent to the runner and its result is not in yet.</summary>
    public bool IsBusy => _busy;

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
        if (job.StopRequested.IsCancellationRequested)
        {
            return EnclaveResult.CanceledBeforeStart(Id);
        }

        using (var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, job.StopRequested))
        {
            try
            {
                await _gate.WaitAsync(waiting.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return EnclaveResult.CanceledBeforeStart(Id);
            }
        }

        try
        {
            var process = await EnsureRunningAsync(cancellationToken).ConfigureAwait(false);
            if (job.StopRequested.IsCancellationRequested)
            {
                return EnclaveResult.CanceledBeforeStart(Id);
            }

            var limits = _options.Limits;
            var request = new ExecuteRequest(job.JobId, job.Code, job.Input, job.SealedSecrets, job.SealedNamedSecrets, job.UserId, job.FunctionId,
                new RunnerLimits(job.TimeoutMs, limits.JobMemoryMB, limits.MaxResultBytes, limits.MaxLogBytes,
                    limits.MaxCodeBytes, limits.MaxInputBytes, limits.MaxSecretsBytes));
            var line = JsonSerializer.Serialize(request, RunnerJsonContext.Default.ExecuteRequest);

            var clock = Stopwatch.StartNew();
            _busy = true;
            var reply = await process.SendAsync(job.JobId, line, cancellationToken).ConfigureAwait(false);
            var result = await AwaitOutcomeAsync(process, job, reply, clock, cancellationToken).ConfigureAwait(false);
            _metrics?.RecordJob(result.Status, clock.Elapsed);
            return result;
        }
        finally
        {
            _busy = false;
            _gate.Release();
        }
    }

    private async Task<EnclaveResult> AwaitOutcomeAsync(RunnerProcess process, EnclaveJob job, Task<RunnerMessage> reply,
        Stopwatch clock, CancellationToken cancellationToken)
    {
        // The runner enforces the job's limit itself; the watchdog only catches a runner that can't.
        var watchdog = TimeSpan.FromMilliseconds(job.TimeoutMs + _options.WatchdogGraceMs);
        using var timers = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var expiry = Task.Delay(watchdog, timers.Token);
        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stopRegistration = job.StopRequested.Register(() => stop.TrySetResult());

        var first = await Task.WhenAny(reply, process.Exited, expiry, stop.Task).ConfigureAwait(false);
        if (reply.IsCompleted)
        {
            // A runner that answers and then ends (see FromReplyAsync) completes both; its exit is seen only after
            // its last line was dispatched, so the answer is already there and counts.
            first = reply;
        }

        if (first == stop.Task)
        {
            return await CancelAsync(process, job, reply, clock, timers).ConfigureAwait(false);
        }

        await timers.CancelAsync().ConfigureAwait(false);
        if (first == reply)
        {
            return await FromReplyAsync(process, reply.Result).ConfigureAwait(false);
        }

        if (first == process.Exited)
        {
            var exitCode = process.Exited.Result;
            if (process.ProtocolViolated)
            {
                await ReplaceAsync(RestartReasons.Protocol, "a line that is not a protocol message during a job", CancellationToken.None).ConfigureAwait(false);
                return Failure(JobStatuses.Failed, ErrorCodes.EnclaveCrashed,
                    "The enclave broke the protocol while running the job and was replaced.", clock.ElapsedMilliseconds);
            }

            await ReplaceAsync(RestartReasons.Crashed, $"exit code {exitCode} during a job", CancellationToken.None).ConfigureAwait(false);
            return Failure(JobStatuses.Failed, ErrorCodes.EnclaveCrashed,
                $"The enclave process exited (code {exitCode}) while running the job.", clock.ElapsedMilliseconds);
        }

        // Cancellation of the caller or the watchdog: either way the job's state inside is unknown.
        if (cancellationToken.IsCancellationRequested)
        {
            await ReplaceAsync(RestartReasons.Aborted, "the host gave up on the running job", CancellationToken.None).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }

        await ReplaceAsync(RestartReasons.Unresponsive, $"no answer within the watchdog limit of {watchdog.TotalMilliseconds:0} ms",
            CancellationToken.None).ConfigureAwait(false);
        return Failure(JobStatuses.TimedOut, ErrorCodes.EnclaveUnresponsive,
            $"The enclave did not answer within {watchdog.TotalMilliseconds:0} ms and was replaced.", clock.ElapsedMilliseconds);
    }

    /// <summary>
    /// The job's owner canceled it while it ran: the runner is asked to stop it and answers it Canceled (or with its
    /// outcome, if it had just finished). A runner that does not answer within the watchdog grace is replaced.
    /// </summary>
    private async Task<EnclaveResult> CancelAsync(RunnerProcess process, EnclaveJob job, Task<RunnerMessage> reply, Stopwatch clock,
        CancellationTokenSource timers)
    {
        Log.JobCancelRequested(_logger, job.JobId, Id);
        await process.SendControlAsync(JsonSerializer.Serialize(new CancelRequest(job.JobId), RunnerJsonContext.Default.CancelRequest))
            .ConfigureAwait(false);
        var grace = TimeSpan.FromMilliseconds(_options.WatchdogGraceMs);
        var first = await Task.WhenAny(reply, process.Exited, Task.Delay(grace, timers.Token)).ConfigureAwait(false);
        await timers.CancelAsync().ConfigureAwait(false);
        if (reply.IsCompleted)
        {
            return await FromReplyAsync(process, reply.Result).ConfigureAwait(false);
        }

        if (first == process.Exited)
        {
            await ReplaceAsync(RestartReasons.Crashed, $"exit code {process.Exited.Result} while a job was being canceled", CancellationToken.None)
                .ConfigureAwait(false);
            return Failure(JobStatuses.Canceled, ErrorCodes.Canceled,
                "The job was canceled; the enclave process ended meanwhile and was replaced.", clock.ElapsedMilliseconds);
        }

        await ReplaceAsync(RestartReasons.Canceled, $"a canceled job was not stopped within {grace.TotalMilliseconds:0} ms", CancellationToken.None)
            .ConfigureAwait(false);
        return Failure(JobStatuses.Canceled, ErrorCodes.Canceled,
            $"The job was canceled; the enclave did not stop it within {grace.TotalMilliseconds:0} ms and was replaced.", clock.ElapsedMilliseconds);
    }

    /// <summary>
    /// The runner's answer. A runner that announces it ends itself (an isolate it could not reclaim) is replaced now,
    /// so the next job is not sent to a dying process and blamed for it.
    /// </summary>
    private async Task<EnclaveResult> FromReplyAsync(RunnerProcess process, RunnerMessage message)
    {
        var result = ToResult(message, process.Attestation);
        if (message.Ending)
        {
            await Task.WhenAny(process.Exited, Task.Delay(RunnerEndGrace)).ConfigureAwait(false);
            var memory = result.ErrorCode == ErrorCodes.MemoryLimit;
            await ReplaceAsync(memory ? RestartReasons.Memory : RestartReasons.Stuck,
                memory ? "the runner ended itself after a job exhausted its heap" : "the runner ended itself: a stopped job's isolate thread kept running",
                CancellationToken.None).ConfigureAwait(false);
        }

        return result;
    }

    private EnclaveResult ToResult(RunnerMessage message, RunnerAttestation? attestation)
    {
        if (message.Type == "result" && message.Status is JobStatuses.Succeeded or JobStatuses.Failed or JobStatuses.TimedOut or JobStatuses.Canceled)
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

        if (_process is { } gone)
        {
            var exit = gone.Exited.IsCompletedSuccessfully
                ? "exit code " + gone.Exited.Result.ToString(CultureInfo.InvariantCulture)
                : "its input closed";
            await DisposeProcessAsync().ConfigureAwait(false);
            CountRestart(RestartReasons.Crashed, $"the runner was gone before the next job ({exit})");
        }

        var process = await RunnerProcess.StartAsync(_launcher.Describe(_slot), Id, _logger,
            TimeSpan.FromSeconds(_options.StartTimeoutSeconds), cancellationToken).ConfigureAwait(false);
        _process = process;
        Log.EnclaveStarted(_logger, Id, process.ProcessId, IsSimulated);
        return process;
    }

    private async Task ReplaceAsync(string reason, string detail, CancellationToken cancellationToken)
    {
        _process?.Kill();
        await DisposeProcessAsync().ConfigureAwait(false);
        CountRestart(reason, detail);
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

    private void CountRestart(string reason, string detail)
    {
        var restarts = Interlocked.Increment(ref _restarts);
        _metrics?.RecordRestart(reason);
        Log.EnclaveReplaced(_logger, Id, reason, detail, restarts);
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
        _metrics?.Untrack(this);
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
