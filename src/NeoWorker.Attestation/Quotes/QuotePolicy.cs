using System.Collections.Frozen;

namespace NeoWorker.Attestation.Quotes;

/// <summary>
/// What a genuine quote must also satisfy to be accepted. The default accepts any enclave, refuses debug and
/// simulated ones, and accepts the TCB statuses that need no platform update to be trustworthy for NeoWorker.
/// </summary>
public sealed class QuotePolicy
{
    /// <summary>UpToDate, SWHardeningNeeded and ConfigurationAndSWHardeningNeeded: Intel's own "acceptable with advisories" set.</summary>
    public static readonly IReadOnlySet<TcbStatus> DefaultAcceptedTcbStatuses =
        new[] { TcbStatus.UpToDate, TcbStatus.SWHardeningNeeded, TcbStatus.ConfigurationAndSWHardeningNeeded }.ToFrozenSet();

    public static QuotePolicy Default { get; } = new();

    /// <summary>Hex MRENCLAVE values (64 hex digits, any case) that are accepted; empty accepts any.</summary>
    public IReadOnlyCollection<string> AllowedMrEnclaves { get; init; } = [];

    /// <summary>Hex MRSIGNER values (64 hex digits, any case) that are accepted; empty accepts any.</summary>
    public IReadOnlyCollection<string> AllowedMrSigners { get; init; } = [];

    /// <summary>
    /// The lowest enclave ISV SVN (the security version the enclave's signer gave it) that is accepted; null accepts any.
    /// Raising it after a security fix refuses enclaves built before the fix even though they are otherwise genuine.
    /// When set, the verifier records the check <c>policy-isvsvn</c> (<see cref="QuoteVerifier.PolicyMinimumIsvSvnCheck"/>).
    /// </summary>
    public ushort? MinimumIsvSvn { get; init; }

    /// <summary>A debug enclave's memory is readable by the host: accept it only in development.</summary>
    public bool AllowDebug { get; init; }

    /// <summary>Accept NeoWorker simulated quotes (which prove nothing about hardware) verified against a simulation root.</summary>
    public bool AllowSimulated { get; init; }

    /// <summary>
    /// Platform TCB statuses accepted for hardware quotes. Add <see cref="TcbStatus.NotEvaluated"/> to accept hardware
    /// quotes verified without TCB collateral (signatures and chain only). Simulated quotes are governed by <see cref="AllowSimulated"/>.
    /// </summary>
    public IReadOnlySet<TcbStatus> AcceptedTcbStatuses { get; init; } = DefaultAcceptedTcbStatuses;
}
