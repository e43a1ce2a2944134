namespace NeoWorker.Attestation.Quotes;

/// <summary>
/// What verification found and why: every step as a <see cref="QuoteCheck"/>, the TCB status and advisories, and
/// what the quote says about the enclave. Valid only when no check failed.
/// </summary>
public sealed class QuoteVerificationResult
{
    internal QuoteVerificationResult(IReadOnlyList<QuoteCheck> checks, SgxQuote? quote, bool isSimulated, TcbStatus tcbStatus,
        IReadOnlyList<string> advisoryIds, DateTimeOffset verificationTime)
    {
        Checks = checks;
        Quote = quote;
        IsSimulated = isSimulated;
        TcbStatus = tcbStatus;
        AdvisoryIds = advisoryIds;
        VerificationTime = verificationTime;
    }

    public bool IsValid => Checks.Count > 0 && !Checks.Any(c => c.Failed);

    /// <summary>Every step, in the order run; skipped steps say why.</summary>
    public IReadOnlyList<QuoteCheck> Checks { get; }

    public IEnumerable<QuoteCheck> Failures => Checks.Where(c => c.Failed);

    /// <summary>The failed checks as one sentence, or null when valid.</summary>
    public string? FailureReason => IsValid ? null : string.Join(" ", Failures.Select(c => $"[{c.Name}] {c.Detail}"));

    /// <summary>The TCB status after combining the platform's and the QE's; <see cref="TcbStatus.Simulated"/> for simulated quotes.</summary>
    public TcbStatus TcbStatus { get; }

    /// <summary>Intel security advisories that apply to the matched platform and QE TCB levels.</summary>
    public IReadOnlyList<string> AdvisoryIds { get; }

    /// <summary>The quote carries NeoWorker's simulated QE vendor id (so it proves nothing about SGX hardware).</summary>
    public bool IsSimulated { get; }

    public bool IsDebug => Quote?.ReportBody.IsDebug ?? false;

    /// <summary>The parsed quote; null when the bytes were not a quote.</summary>
    public SgxQuote? Quote { get; }

    public string? MrEnclaveHex => Quote?.ReportBody.MrEnclaveHex;

    public string? MrSignerHex => Quote?.ReportBody.MrSignerHex;

    public ReadOnlyMemory<byte> ReportData => Quote?.ReportBody.ReportData ?? ReadOnlyMemory<byte>.Empty;

    /// <summary>The time certificates, CRLs and collateral were checked against.</summary>
    public DateTimeOffset VerificationTime { get; }

    public QuoteCheck? Check(string name) => Checks.FirstOrDefault(c => c.Name == name);

    public override string ToString() =>
        IsValid ? (IsSimulated ? "valid (simulated)" : $"valid (TCB {TcbStatus})") : $"invalid: {FailureReason}";
}
