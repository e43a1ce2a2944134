using NeoWorker.Attestation.Quotes;

namespace NeoWorker.Attestation.Providers;

/// <summary>
/// What <see cref="AttestationProviderFactory.Create"/> needs. <see cref="Type"/> chooses the provider; the rest
/// applies to one of them, as each property says. A record, so a variant is one <c>with</c> away; its text form
/// leaves out the PCK private key.
/// </summary>
public sealed record AttestationProviderOptions
{
    /// <summary>Simulated quotes chained to a per-deployment simulation root (development and tests; proves no hardware).</summary>
    public const string SimulationType = "Simulation";

    /// <summary>SGX DCAP quotes chained to the Intel SGX Root CA (Occlum on SGX hardware).</summary>
    public const string SgxDcapType = "SgxDcap";

    /// <summary><see cref="SimulationType"/> or <see cref="SgxDcapType"/> (any case). Required: there is no default, so nothing falls back to simulation by omission.</summary>
    public string? Type { get; init; }

    /// <summary>Simulation: the simulation root certificate (PEM), the trust root of simulated quotes. Required for <see cref="SimulationType"/>.</summary>
    public string? SimulationRootPem { get; init; }

    /// <summary>Simulation, generation only: the simulated PCK private key (PKCS#8 PEM, P-256). Give it with <see cref="SimulatedPckCertificateChainPem"/>, or neither.</summary>
    public string? SimulatedPckPrivateKeyPem { get; init; }

    /// <summary>Simulation, generation only: the PCK certificate then the simulation root (PEM); it must end at <see cref="SimulationRootPem"/>.</summary>
    public string? SimulatedPckCertificateChainPem { get; init; }

    /// <summary>Simulation, generation only: the MRENCLAVE to write (64 hex digits; the runner uses SHA-256 of its bundle). Required to generate.</summary>
    public string? SimulatedMrEnclaveHex { get; init; }

    /// <summary>Simulation, generation only: the MRSIGNER to write (64 hex digits). Default: the runner's, SHA-256 of UTF-8 <c>neoworker-simulation-signer</c>.</summary>
    public string? SimulatedMrSignerHex { get; init; }

    /// <summary>Simulation, generation only: ISVPRODID to write. Default 1, as the runner.</summary>
    public ushort SimulatedIsvProdId { get; init; } = 1;

    /// <summary>Simulation, generation only: ISVSVN to write. Default 1, as the runner.</summary>
    public ushort SimulatedIsvSvn { get; init; } = 1;

    /// <summary>SGX: TCB Info, QE Identity, their issuer chains and CRLs, fetched by the caller (verification is offline). Without it the TCB status is NotEvaluated.</summary>
    public QuoteCollateral? Collateral { get; init; }

    /// <summary>
    /// The quote policy. Default for <see cref="SgxDcapType"/>: <see cref="QuotePolicy.Default"/>; for
    /// <see cref="SimulationType"/>: the default with <see cref="QuotePolicy.AllowSimulated"/> set. A given policy is used as is.
    /// </summary>
    public QuotePolicy? Policy { get; init; }

    /// <summary>The clock certificates, CRLs and collateral are checked at. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider? Clock { get; init; }

    /// <summary>Everything but the simulated PCK private key, which is a secret.</summary>
    public override string ToString() =>
        $"AttestationProviderOptions {{ Type = {Type}, SimulationRoot = {(SimulationRootPem is null ? "none" : "set")}, " +
        $"SimulatedPck = {(SimulatedPckPrivateKeyPem is null ? "none" : "set (not shown)")}, Collateral = {(Collateral is null ? "none" : "set")}, " +
        $"Policy = {(Policy is null ? "default" : "set")} }}";
}
