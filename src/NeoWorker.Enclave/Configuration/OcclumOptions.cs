using System.ComponentModel.DataAnnotations;

namespace NeoWorker.Enclave.Configuration;

/// <summary>The seed's <c>Tee:Occlum</c> section. <see cref="MaxExecutionTimeSeconds"/> applies to every backend.</summary>
public sealed class OcclumOptions
{
    /// <summary>The built instance (ops/build_occlum.sh): the template every enclave's own copy is made from.</summary>
    public string InstanceDir { get; set; } = "/opt/neoworker/occlum_instance";

    /// <summary>The <c>occlum</c> tool: a bare name is looked up on PATH, anything with a '/' is used as it is.</summary>
    public string OcclumPath { get; set; } = "occlum";

    public string LogLevel { get; set; } = "info";

    /// <summary>Node.js inside the Occlum image.</summary>
    public string NodeJsPath { get; set; } = "/bin/node";

    /// <summary>Where each enclave's copy of the instance lives (<c>instance-&lt;slot&gt;</c>); one worker per directory.</summary>
    public string TempDir { get; set; } = "/tmp/neoworker-occlum";

    public bool EnableDebugMode { get; set; }

    [Range(64, 65_536)]
    public int MaxMemoryMB { get; set; } = 1024;

    [Range(1, 1024)]
    public int MaxThreads { get; set; } = 32;

    [Range(1, 1024)]
    public int MaxProcesses { get; set; } = 16;

    /// <summary>Upper bound on any job's wall time; a command's TimeoutMs can only lower it.</summary>
    [Range(1, 3600)]
    public int MaxExecutionTimeSeconds { get; set; } = 30;
}
