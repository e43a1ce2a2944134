using System.ComponentModel.DataAnnotations;

namespace NeoWorker.Enclave.Configuration;

/// <summary>How the simulation backend starts the runner on the host.</summary>
public sealed class SimulationOptions
{
    /// <summary>The host's Node.js (20 or later).</summary>
    [Required]
    public string NodePath { get; set; } = "node";

    /// <summary>
    /// The fleet's private sealing keys (PKCS#8 PEM files), newest first; older ones stay until their
    /// envelopes are retired. Only the runner reads them; in Occlum the key is released into the enclave instead.
    /// </summary>
    public IList<string> SealingKeyFiles { get; set; } = [];

    /// <summary>
    /// The simulated attestation (PCK) key, PKCS#8 PEM, and its certificate chain up to the
    /// deployment's simulation root. Without them simulated enclaves produce no proofs.
    /// </summary>
    public string? AttestationKeyFile { get; set; }

    public string? AttestationChainFile { get; set; }
}
