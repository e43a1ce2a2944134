using System.ComponentModel.DataAnnotations;

namespace NeoWorker.Enclave.Configuration;

/// <summary>The seed's <c>Tee</c> section, plus the pool size and per-job limits.</summary>
public sealed class TeeOptions
{
    public const string SectionName = "Tee";

    public TeeType Type { get; set; } = TeeType.Simulation;

    /// <summary>Seed name: run Occlum in SGX simulation mode (<c>OCCLUM_SIMULATION=1</c> forces it).</summary>
    public bool SimulationMode { get; set; }

    /// <summary>Simulation: the runner directory (holding <c>src/index.js</c>). Occlum: the built instance template.</summary>
    public string EnclavePath { get; set; } = "";

    public bool Debug { get; set; }

    /// <summary>Enclaves in this worker; each runs one job at a time.</summary>
    [Range(1, 256)]
    public int Workers { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// Outside Development a simulated enclave proves nothing, so the worker refuses to start with
    /// <see cref="TeeType.Simulation"/> unless this is set.
    /// </summary>
    public bool AllowSimulation { get; set; }

    [Range(1, 600)]
    public int StartTimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// Extra time the host waits past a job's limit before it declares the enclave unresponsive, and for a canceled
    /// job to stop. It covers the runner's check that a stopped job left no thread running (up to 0.7 s).
    /// </summary>
    [Range(100, 60_000)]
    public int WatchdogGraceMs { get; set; } = 3000;

    public SimulationOptions Simulation { get; set; } = new();

    public OcclumOptions Occlum { get; set; } = new();

    public JobLimitsOptions Limits { get; set; } = new();
}
