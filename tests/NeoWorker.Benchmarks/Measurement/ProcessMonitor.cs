using System.Diagnostics;

namespace NeoWorker.Benchmarks.Measurement;

/// <summary>Worker memory at one moment: the .NET process and its enclave (runner) children, in KiB.</summary>
internal sealed record MemorySample(double Seconds, string Phase, long WorkerKb, long EnclavesKb, int Enclaves, long ApiKb)
{
    public long TotalKb => WorkerKb + EnclavesKb;
}

/// <summary>CPU ticks of each part of the system at one moment.</summary>
internal sealed record CpuSnapshot(long Timestamp, IReadOnlyDictionary<string, long> Ticks, long MachineBusy, long MachineTotal);

/// <summary>CPU used during a scenario: milliseconds per job for each part, and how busy the machine was.</summary>
internal sealed record CpuUsage(IReadOnlyDictionary<string, double> MsPerJob, double TotalMsPerJob, double MachineBusyPercent);

/// <summary>
/// Watches the processes ops/up.sh started (found through their pid files): CPU per part of the
/// system between two snapshots, and the worker's RSS (with its enclaves) sampled in the background.
/// </summary>
internal sealed class ProcessMonitor : IAsyncDisposable
{
    public const string Worker = "worker (.NET)";
    public const string Enclaves = "enclaves (node)";
    public const string Api = "API";
    public const string Postgres = "PostgreSQL";
    public const string RabbitMq = "RabbitMQ";
    public const string Client = "benchmark client";
    public const string ClientChildren = "per-request node processes";
    public const string Other = "other processes";

    private readonly BenchmarkOptions _options;
    private readonly List<MemorySample> _samples = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly long _started = Stopwatch.GetTimestamp();
    private Task? _sampler;
    private int? _firstWorkerPid;

    public ProcessMonitor(BenchmarkOptions options)
    {
        _options = options;
        _firstWorkerPid = WorkerPid;
    }

    public int? WorkerPid => Proc.ReadPidFile(_options.WorkerPidFile);
    public int? ApiPid => Proc.ReadPidFile(_options.ApiPidFile);
    public int? PostgresPid => Proc.ReadPidFile(_options.PostgresPidFile);
    public int? RabbitMqPid => Proc.ReadPidFile(_options.RabbitMqPidFile);

    /// <summary>The label the next memory samples get.</summary>
    public string Phase { get; set; } = "start";

    /// <summary>Set when the worker's pid changed during the run (someone restarted it): its figures are then suspect.</summary>
    public bool WorkerRestarted { get; private set; }

    public IReadOnlyList<MemorySample> Samples
    {
        get
        {
            lock (_samples)
            {
                return [.. _samples];
            }
        }
    }

    /// <summary>Number of enclave processes (the worker's children) now; the pool size.</summary>
    public int EnclaveCount()
    {
        if (WorkerPid is not { } worker)
        {
            return 0;
        }

        var all = Proc.Snapshot();
        return Proc.Tree(all, worker).Count - 1;
    }

    public void StartSampling(TimeSpan interval)
    {
        _sampler = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(interval);
            do
            {
                if (SampleMemory() is { } sample)
                {
                    lock (_samples)
                    {
                        _samples.Add(sample);
                    }
                }
            }
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false));
        });
    }

    public MemorySample? SampleMemory()
    {
        if (WorkerPid is not { } worker)
        {
            return null;
        }

        if (_firstWorkerPid is null)
        {
            _firstWorkerPid = worker;
        }
        else if (_firstWorkerPid != worker)
        {
            WorkerRestarted = true;
        }

        var all = Proc.Snapshot();
        var children = Proc.Tree(all, worker).Where(pid => pid != worker).ToList();
        return new MemorySample(
            Math.Round(Stopwatch.GetElapsedTime(_started).TotalSeconds, 1),
            Phase,
            Proc.RssKb(worker),
            children.Sum(Proc.RssKb),
            children.Count,
            ApiPid is { } api ? Proc.RssKb(api) : 0);
    }

    public CpuSnapshot TakeCpu()
    {
        var all = Proc.Snapshot();
        var machine = Proc.MachineTicks();
        var ticks = new Dictionary<string, long>();
        if (WorkerPid is { } worker && all.TryGetValue(worker, out var own))
        {
            ticks[Worker] = own.Own;
            ticks[Enclaves] = Proc.TreeTicks(all, worker) - own.Own;
        }

        if (ApiPid is { } api)
        {
            ticks[Api] = Proc.TreeTicks(all, api);
        }

        if (PostgresPid is { } postgres)
        {
            ticks[Postgres] = Proc.TreeTicks(all, postgres);
        }

        if (RabbitMqPid is { } rabbit)
        {
            ticks[RabbitMq] = Proc.TreeTicks(all, rabbit);
        }

        // The per-request baseline's node processes are this process's children: counted apart.
        if (all.TryGetValue(Environment.ProcessId, out var self))
        {
            ticks[Client] = self.Own;
            ticks[ClientChildren] = Proc.TreeTicks(all, Environment.ProcessId) - self.Own;
        }
        return new CpuSnapshot(Stopwatch.GetTimestamp(), ticks, machine.Busy, machine.Total);
    }

    public static CpuUsage Usage(CpuSnapshot before, CpuSnapshot after, int jobs)
    {
        var perJob = new Dictionary<string, double>();
        double tracked = 0;
        foreach (var (part, ticks) in after.Ticks)
        {
            if (before.Ticks.TryGetValue(part, out var earlier))
            {
                var ms = (ticks - earlier) * Proc.MillisecondsPerTick;
                tracked += ms;
                perJob[part] = Math.Round(ms / Math.Max(1, jobs), 3);
            }
        }

        var busyMs = (after.MachineBusy - before.MachineBusy) * Proc.MillisecondsPerTick;
        perJob[Other] = Math.Round(Math.Max(0, busyMs - tracked) / Math.Max(1, jobs), 3);
        var total = after.MachineTotal - before.MachineTotal;
        return new CpuUsage(perJob, Math.Round(busyMs / Math.Max(1, jobs), 3),
            total == 0 ? 0 : Math.Round(100.0 * (after.MachineBusy - before.MachineBusy) / total, 1));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_sampler is not null)
        {
            try
            {
                await _sampler.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        _stop.Dispose();
    }
}
