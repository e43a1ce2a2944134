namespace NeoWorker.Api.Attestation;

/// <summary>
/// Section <c>Attestation</c>: whom <c>POST /api/v1/attestation/verify</c> trusts. Intel's SGX root
/// is built in; a deployment's simulation root is trusted only when <see cref="AllowSimulated"/> is set.
/// </summary>
public sealed class AttestationOptions
{
    public const string SectionName = "Attestation";

    /// <summary>PEM of this deployment's simulation root CA (ops/up.sh creates it under .local/).</summary>
    public string? SimulationRootFile { get; set; }

    public bool AllowSimulated { get; set; }

    public bool AllowDebug { get; set; }

    /// <summary>Hex MRENCLAVE values accepted; empty accepts any.</summary>
    public IList<string> AllowedMrEnclaves { get; set; } = [];

    /// <summary>Hex MRSIGNER values accepted; empty accepts any.</summary>
    public IList<string> AllowedMrSigners { get; set; } = [];
}
