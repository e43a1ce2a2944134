using System.ComponentModel.DataAnnotations;

namespace NeoWorker.Enclave.Configuration;

/// <summary>How the simulation backend starts the runner on the host.</summary>
public sealed class SimulationOptions
{
    /// <summary>The host's Node.js (20 or later).</summary>
    [Required]
    public string NodePath { get; set; } = "node";
}
