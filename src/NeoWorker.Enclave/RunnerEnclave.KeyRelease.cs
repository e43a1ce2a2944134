using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using NeoWorker.Enclave.KeyRelease;
using NeoWorker.Enclave.Metrics;
using NeoWorker.Enclave.Protocol;

namespace NeoWorker.Enclave;

/// <summary>
/// The release of the fleet's sealing keys into this enclave (<c>Tee:SealingKeySource=Release</c>). A runner that starts
/// without released keys in its store (ready: <c>keyRelease.state = pending</c>), or with others than
/// <c>Tee:KeyRelease:KeyIds</c> names, is asked for a key request, which goes to the operator through
/// <see cref="KeyReleaseExchange"/>; the release that comes back is handed to the runner, which opens and stores it.
/// Until then the runner runs jobs without sealed secrets as usual, and jobs with them wait (up to
/// <c>Tee:KeyRelease:JobWaitSeconds</c>, then they are handed back for a retry). Talking to the runner takes the same
/// gate as jobs, so a release never interleaves with a job.
/// </summary>
internal sealed partial class RunnerEnclave
{
    private static readonly TaskCompletionSource Held = Signalled();

    private readonly KeyReleaseExchange? _keyRelease;

    // Completed while the current runner holds the sealing keys (or takes none by release); replaced at each runner start.
    private TaskCompletionSource _sealingKey = Held;
    private CancellationTokenSource? _relayStop;

    /// <summary>True while the current runner waits for its sealing keys to be released.</summary>
    public bool AwaitsSealingKey => !Volatile.Read(ref _sealingKey).Task.IsCompleted;

    private bool NeedsSealingKey(EnclaveJob job) =>
        _keyRelease is not null && (job.SealedSecrets is not null || job.SealedNamedSecrets is { Count: > 0 });

    /// <summary>Null once the runner holds the keys; a Canceled result when the job is stopped meanwhile.</summary>
    private async Task<EnclaveResult?> WaitForSealingKeyAsync(EnclaveJob job, Stopwatch waited, CancellationToken cancellationToken)
    {
        var signal = Volatile.Read(ref _sealingKey).Task;
        if (signal.IsCompleted)
        {
            return null;
        }

        var limit = TimeSpan.FromSeconds(_options.KeyRelease.JobWaitSeconds);
        var remaining = limit - waited.Elapsed;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, job.StopRequested);
        try
        {
            if (remaining <= TimeSpan.Zero)
            {
                throw new TimeoutException();
            }

            await signal.WaitAsync(remaining, stop.Token).ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return EnclaveResult.CanceledBeforeStart(Id);
        }
        catch (TimeoutException)
        {
            throw new EnclaveUnavailableException(string.Create(CultureInfo.InvariantCulture,
                $"Enclave {Id} has not been given the fleet's sealing key within {limit.TotalSeconds:0} s (Tee:SealingKeySource=Release): "
                + $"answer its key request {_keyRelease!.RequestFile(_slot)} with ops/release_sealing_key.sh."));
        }
    }

    /// <summary>Called under the gate each time a runner has started.</summary>
    private void BeginKeyRelease(RunnerProcess process)
    {
        if (_keyRelease is null)
        {
            return;
        }

        StopKeyRelease();
        var state = process.KeyRelease;
        if (state is null)
        {
            Log.RunnerTakesNoReleasedKey(_logger, Id);
            Signal(Held);
            return;
        }

        if (state.State == RunnerKeyRelease.Restored)
        {
            if (_keyRelease.Accepts(state.KeyIds))
            {
                Log.SealingKeyRestored(_logger, Id, string.Join(", ", state.KeyIds));
                Signal(Held);
                return;
            }

            Log.SealingKeysOutdated(_logger, Id, string.Join(", ", state.KeyIds), string.Join(", ", _options.KeyRelease.KeyIds));
        }

        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Signal(signal);
        var stop = new CancellationTokenSource();
        _relayStop = stop;
        _ = Task.Run(() => RelayAsync(process, signal, stop.Token), CancellationToken.None);
    }

    /// <summary>Installs the signal of the runner just started and wakes whoever waited on the previous runner's.</summary>
    private void Signal(TaskCompletionSource current)
    {
        var previous = Interlocked.Exchange(ref _sealingKey, current);
        previous.TrySetResult();
    }

    private void StopKeyRelease()
    {
        // Not disposed: the relay may still be looking at its token; it holds no timer or handle.
        Interlocked.Exchange(ref _relayStop, null)?.Cancel();
    }

    /// <summary>Asks the runner for a request, hands it to the operator, and relays releases until one opens.</summary>
    private async Task RelayAsync(RunnerProcess process, TaskCompletionSource signal, CancellationToken stop)
    {
        var exchange = _keyRelease!;
        try
        {
            var asked = await ExchangeAsync(process, id => JsonSerializer.Serialize(new RequestKeyRequest(id), RunnerJsonContext.Default.RequestKeyRequest),
                stop).ConfigureAwait(false);
            if (asked.Type != "keyRequest" || asked.Request is not { ValueKind: JsonValueKind.Object } request)
            {
                Log.SealingKeyRequestFailed(_logger, Id, asked.Error ?? $"the runner answered a '{asked.Type}' message");
                return;
            }

            var requestJson = request.GetRawText();
            while (true)
            {
                var release = await exchange.AwaitReleaseAsync(_slot, Id, requestJson, stop).ConfigureAwait(false);
                var answer = await ExchangeAsync(process,
                    id => JsonSerializer.Serialize(new ReleaseKeyRequest(id, release), RunnerJsonContext.Default.ReleaseKeyRequest), stop).ConfigureAwait(false);
                if (answer.Type == "keyReleased")
                {
                    exchange.Completed(_slot);
                    Log.SealingKeyReleased(_logger, Id, string.Join(", ", answer.KeyIds ?? []), answer.Persisted);
                    signal.TrySetResult();
                    return;
                }

                exchange.Rejected(_slot);
                Log.SealingKeyReleaseRejected(_logger, Id, answer.Error ?? $"the runner answered a '{answer.Type}' message", exchange.RejectedFile(_slot));
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            Log.SealingKeyRelayEnded(_logger, Id, "the runner was replaced or the enclave stopped");
        }
        catch (EnclaveUnavailableException ex)
        {
            Log.SealingKeyRelayEnded(_logger, Id, ex.Message);
        }
    }

    /// <summary>One request and its answer, under the gate; a runner that does not answer in time is replaced.</summary>
    private async Task<RunnerMessage> ExchangeAsync(RunnerProcess process, Func<string, string> line, CancellationToken stop)
    {
        await _gate.WaitAsync(stop).ConfigureAwait(false);
        try
        {
            if (!ReferenceEquals(_process, process) || process.HasExited)
            {
                throw new EnclaveUnavailableException($"Enclave {Id}: the runner that awaits the key is gone.");
            }

            var id = "key-" + Guid.NewGuid().ToString("N");
            var reply = await process.SendAsync(id, line(id), CancellationToken.None).ConfigureAwait(false);
            var limit = TimeSpan.FromSeconds(_options.StartTimeoutSeconds);
            using var timer = CancellationTokenSource.CreateLinkedTokenSource(stop);
            var first = await Task.WhenAny(reply, process.Exited, Task.Delay(limit, timer.Token)).ConfigureAwait(false);
            await timer.CancelAsync().ConfigureAwait(false);
            if (reply.IsCompleted)
            {
                return reply.Result;
            }

            stop.ThrowIfCancellationRequested();
            if (first == process.Exited)
            {
                throw new EnclaveUnavailableException($"Enclave {Id}: the runner exited during the key release.");
            }

            await ReplaceAsync(RestartReasons.Unresponsive, $"no answer to a key release message within {limit.TotalSeconds:0} s",
                CancellationToken.None).ConfigureAwait(false);
            throw new EnclaveUnavailableException($"Enclave {Id}: the runner did not answer during the key release and was replaced.");
        }
        finally
        {
            _gate.Release();
        }
    }

    private static TaskCompletionSource Signalled()
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        signal.SetResult();
        return signal;
    }
}
