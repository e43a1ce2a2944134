using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NeoWorker.Enclave.Configuration;
using NeoWorker.Enclave.Metrics;
using NeoWorker.Enclave.Protocol;

namespace NeoWorker.Enclave.Pool;

/// <summary>
/// A fixed set of long-lived enclaves, started (warmed) with the host and stopped with it. Each
/// enclave runs one job at a time; callers wait for a free one. A job whose <see cref="EnclaveJob.StopRequested"/>
/// fires while it waits is answered Canceled without running.
/// </summary>
internal sealed class EnclavePool : IEnclavePool, IHostedService, IAsyncDisposable
{
    private readonly IReadOnlyList<IEnclave> _enclaves;
    private readonly Channel<IEnclave> _free;
    private readonly ILogger<EnclavePool> _logger;
    private volatile bool _warm;

    public EnclavePool(IRunnerLauncher launcher, IOptions<TeeOptions> options, ILogger<EnclavePool> logger, EnclaveMetrics? metrics = null)
        : this(Enumerable.Range(0, options.Value.Workers)
            .Select(slot => (IEnclave)new RunnerEnclave(slot, launcher, options.Value, logger, metrics))
            .ToList(), logger)
    {
    }

    internal EnclavePool(IReadOnlyList<IEnclave> enclaves, ILogger<EnclavePool> logger)
    {
        _enclaves = enclaves;
        _logger = logger;
        _free = Channel.CreateUnbounded<IEnclave>();
        foreach (var enclave in enclaves)
        {
            _free.Writer.TryWrite(enclave);
        }
    }

    public int Size => _enclaves.Count;

    public bool IsWarm => _warm;

    public bool IsSimulated => _enclaves.Count > 0 && _enclaves[0].IsSimulated;

    public int Restarts => _enclaves.Sum(e => e.Restarts);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(_enclaves.Select(e => e.StartAsync(cancellationToken))).ConfigureAwait(false);
        _warm = true;
        Log.PoolWarm(_logger, _enclaves.Count);
    }

    public async Task<EnclaveResult> ExecuteAsync(EnclaveJob job, CancellationToken cancellationToken)
    {
        if (job.StopRequested.IsCancellationRequested)
        {
            return EnclaveResult.CanceledBeforeStart(null);
        }

        IEnclave enclave;
        using (var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, job.StopRequested))
        {
            try
            {
                enclave = await _free.Reader.ReadAsync(waiting.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return EnclaveResult.CanceledBeforeStart(null);
            }
        }

        try
        {
            return await enclave.ExecuteAsync(job, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _free.Writer.TryWrite(enclave);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _warm = false;
        await Task.WhenAll(_enclaves.Select(e => e.DisposeAsync().AsTask())).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None).ConfigureAwait(false);
}
