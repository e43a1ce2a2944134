using System.ComponentModel.DataAnnotations;

namespace NeoWorker.Enclave.Configuration;

/// <summary>Per-job limits enforced by the API (sizes) and by the runner (all of them).</summary>
public sealed class JobLimitsOptions
{
    [Range(1, 16 * 1024 * 1024)]
    public int MaxCodeBytes { get; set; } = 256 * 1024;

    [Range(1, 64 * 1024 * 1024)]
    public int MaxInputBytes { get; set; } = 1024 * 1024;

    [Range(1, 1024 * 1024)]
    public int MaxSecretsBytes { get; set; } = 64 * 1024;

    [Range(1, 64 * 1024 * 1024)]
    public int MaxResultBytes { get; set; } = 1024 * 1024;

    [Range(1, 16 * 1024 * 1024)]
    public int MaxLogBytes { get; set; } = 64 * 1024;

    /// <summary>Heap limit of one job's isolate; below the enclave's <c>Occlum:MaxMemoryMB</c>.</summary>
    [Range(8, 4096)]
    public int JobMemoryMB { get; set; } = 128;
}
