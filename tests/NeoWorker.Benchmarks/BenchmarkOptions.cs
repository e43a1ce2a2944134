using System.Collections;
using System.Globalization;

namespace NeoWorker.Benchmarks;

/// <summary>
/// What to run and against what. The services come from the environment that <c>.local/env</c>
/// exports (ops/bench.sh sources it); the sizes from <c>--quick</c> or the full defaults.
/// </summary>
internal sealed record BenchmarkOptions
{
    public const string Usage = """
        usage: NeoWorker.Benchmarks [--quick] [--soak SECONDS] [--out DIR] [--local-dir DIR] [--runner-dir DIR]
                                    [--jobs N] [--ceiling-jobs N] [--fixed-seconds N] [--only IDS]

          --quick            smoke-sized run (under 2 minutes with the build; no thresholds)
          --soak SECONDS     after the scenarios, hold 50% load for SECONDS and report worker memory growth
          --out DIR          where <date>.json goes (default: <local-dir>/bench)
          --local-dir DIR    ops/up.sh's .local (pid files of the worker, API, PostgreSQL, RabbitMQ)
          --runner-dir DIR   the enclave runner (src/NeoWorker.Enclave/runner), for the per-request baseline
          --jobs N           jobs in the direct-publish and API scenarios
          --ceiling-jobs N   round trips in the ceiling scenario
          --fixed-seconds N  duration of the fixed-load scenario
          --only IDS         run only these scenarios, e.g. 1,2,4 (4 and 1b need 2's rate); no probes

        environment (as .local/env exports it): NEOWORKER_URL, NEOWORKER_API_KEY, ConnectionStrings__Postgres,
          RabbitMq__Host, RabbitMq__Port, RabbitMq__Username, RabbitMq__Password, RabbitMq__VirtualHost,
          NEOWORKER_RABBITMQ_MANAGEMENT_URL (optional, for the broker version)
        """;

    public bool Quick { get; init; }
    public int SoakSeconds { get; init; }
    public required string OutputDirectory { get; init; }
    public required string LocalDirectory { get; init; }
    public required string RunnerDirectory { get; init; }

    public required string ApiUrl { get; init; }
    public required string ApiKey { get; init; }
    public required string PostgresConnectionString { get; init; }
    public required string RabbitHost { get; init; }
    public int RabbitPort { get; init; }
    public required string RabbitUsername { get; init; }
    public required string RabbitPassword { get; init; }
    public required string RabbitVirtualHost { get; init; }
    public string? RabbitManagementUrl { get; init; }
    public string NodePath { get; init; } = "node";

    // Sizes.
    public int CeilingJobs { get; init; }
    public int CeilingWarmupJobs { get; init; }
    public int Jobs { get; init; }
    public int WarmupJobs { get; init; }
    public int FixedLoadSeconds { get; init; }
    public int PerRequestJobs { get; init; }
    public int CpuHeavyJobs { get; init; }
    public int LargeInputJobs { get; init; }
    public int ProbeIterations { get; init; }
    public TimeSpan IdleSettle { get; init; }

    /// <summary>The scenario ids to run (<c>--only</c>); null runs them all, with the probes.</summary>
    public IReadOnlySet<string>? Only { get; init; }

    public bool Runs(string scenarioId) => Only is null || Only.Contains(scenarioId);

    /// <summary>Publishes awaiting their broker confirm at once (the client's own bound).</summary>
    public int PublishConcurrency { get; init; } = 64;

    /// <summary>HTTP requests in flight at once in the API scenario.</summary>
    public int ApiConcurrency { get; init; } = 16;

    /// <summary>Processes at once in the per-request baseline (issue 9: 2, one per core).</summary>
    public int PerRequestParallelism { get; init; } = 2;

    /// <summary>A scenario fails when no job completes for this long.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(45);

    public string WorkerPidFile => Path.Combine(LocalDirectory, "run", "worker.pid");
    public string ApiPidFile => Path.Combine(LocalDirectory, "run", "api.pid");
    public string RabbitMqPidFile => Path.Combine(LocalDirectory, "run", "rabbitmq.pid");
    public string PostgresPidFile => Path.Combine(LocalDirectory, "postgres", "data", "postmaster.pid");

    /// <summary>Parses the command line and environment; returns null (after printing why) when they are unusable.</summary>
    public static BenchmarkOptions? Parse(string[] args, IDictionary environment, TextWriter error)
    {
        string? Env(string name) => environment[name] as string is { Length: > 0 } value ? value : null;

        bool quick = false;
        int soak = 0;
        string? output = null, local = null, runner = null;
        int? jobs = null, ceilingJobs = null, fixedSeconds = null;
        HashSet<string>? only = null;
        for (var i = 0; i < args.Length; i++)
        {
            string Value()
            {
                if (i + 1 >= args.Length)
                {
                    throw new ArgumentException($"{args[i]} needs a value");
                }

                return args[++i];
            }

            int Number()
            {
                var name = args[i];
                return int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
                    ? n
                    : throw new ArgumentException($"{name} needs a positive whole number");
            }

            try
            {
                switch (args[i])
                {
                    case "--quick": quick = true; break;
                    case "--soak": soak = Number(); break;
                    case "--out": output = Value(); break;
                    case "--local-dir": local = Value(); break;
                    case "--runner-dir": runner = Value(); break;
                    case "--jobs": jobs = Number(); break;
                    case "--ceiling-jobs": ceilingJobs = Number(); break;
                    case "--fixed-seconds": fixedSeconds = Number(); break;
                    case "--only": only = [.. Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]; break;
                    case "-h" or "--help": error.WriteLine(Usage); return null;
                    default: throw new ArgumentException($"unknown argument '{args[i]}'");
                }
            }
            catch (ArgumentException ex)
            {
                error.WriteLine($"error: {ex.Message}");
                error.WriteLine(Usage);
                return null;
            }
        }

        var missing = new[] { "NEOWORKER_URL", "NEOWORKER_API_KEY", "ConnectionStrings__Postgres", "RabbitMq__Host", "RabbitMq__Username", "RabbitMq__Password" }
            .Where(name => Env(name) is null).ToList();
        if (missing.Count > 0)
        {
            error.WriteLine($"error: not set: {string.Join(", ", missing)} (source .local/env, written by ops/up.sh)");
            return null;
        }

        local ??= Path.Combine(FindRepositoryRoot(), ".local");
        return new BenchmarkOptions
        {
            Quick = quick,
            SoakSeconds = soak,
            LocalDirectory = Path.GetFullPath(local),
            OutputDirectory = Path.GetFullPath(output ?? Path.Combine(local, "bench")),
            RunnerDirectory = Path.GetFullPath(runner ?? Path.Combine(FindRepositoryRoot(), "src", "NeoWorker.Enclave", "runner")),
            ApiUrl = Env("NEOWORKER_URL")!.TrimEnd('/'),
            ApiKey = Env("NEOWORKER_API_KEY")!,
            PostgresConnectionString = Env("ConnectionStrings__Postgres")!,
            RabbitHost = Env("RabbitMq__Host")!,
            RabbitPort = int.TryParse(Env("RabbitMq__Port"), CultureInfo.InvariantCulture, out var port) ? port : 5672,
            RabbitUsername = Env("RabbitMq__Username")!,
            RabbitPassword = Env("RabbitMq__Password")!,
            RabbitVirtualHost = Env("RabbitMq__VirtualHost") ?? "/",
            RabbitManagementUrl = Env("NEOWORKER_RABBITMQ_MANAGEMENT_URL"),
            NodePath = Env("Tee__Simulation__NodePath") ?? "node",
            CeilingJobs = ceilingJobs ?? (quick ? 5_000 : 20_000),
            CeilingWarmupJobs = quick ? 1_000 : 2_000,
            Jobs = jobs ?? (quick ? 1_000 : 5_000),
            // The worker's tiered JIT settles only after several thousand jobs (profiled: 2.7 CPU ms per job in the
            // first 4,000 after a start, 1.2 ms from about the 8,000th): the full run measures the steady state.
            WarmupJobs = quick ? 300 : 6_000,
            FixedLoadSeconds = fixedSeconds ?? (quick ? 15 : 60),
            PerRequestJobs = quick ? 20 : 60,
            CpuHeavyJobs = quick ? 40 : 200,
            LargeInputJobs = quick ? 20 : 50,
            ProbeIterations = quick ? 50 : 300,
            IdleSettle = TimeSpan.FromSeconds(quick ? 2 : 5),
            Only = only,
        };
    }

    /// <summary>The directory holding NeoWorker.sln, searched upwards from here and from the program.</summary>
    private static string FindRepositoryRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "NeoWorker.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        return Environment.CurrentDirectory;
    }
}
