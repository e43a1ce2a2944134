using NeoWorker.Attestation.Quotes;

namespace NeoWorker.Attestation.Providers;

/// <summary>
/// Evidence from <see cref="IAttestationProvider.GenerateAttestationProofAsync"/>: an SGX DCAP ECDSA quote v3
/// (hardware or simulated, same layout), with the fields a caller usually wants read out of it. It is not verified
/// here; <see cref="ToBase64"/> is the form <see cref="Contracts.ExecutionProof.Evidence"/> carries.
/// </summary>
public sealed class AttestationEvidence
{
    /// <summary>The only evidence type NeoWorker produces (the runner's ready message says the same).</summary>
    public const string SgxDcapQuoteV3 = "sgx-dcap-quote-v3";

    /// <exception cref="QuoteFormatException">The bytes are not a v3 ECDSA quote.</exception>
    public AttestationEvidence(ReadOnlyMemory<byte> quote)
    {
        var parsed = SgxQuote.Parse(quote.Span);
        Quote = quote.ToArray();
        ReportData = parsed.ReportBody.ReportData.ToArray();
        MrEnclaveHex = parsed.ReportBody.MrEnclaveHex;
        MrSignerHex = parsed.ReportBody.MrSignerHex;
        IsvProdId = parsed.ReportBody.IsvProdId;
        IsvSvn = parsed.ReportBody.IsvSvn;
        IsDebug = parsed.ReportBody.IsDebug;
        IsSimulated = parsed.ClaimsSimulated;
    }

    public string EvidenceType => SgxDcapQuoteV3;

    /// <summary>The quote's bytes.</summary>
    public ReadOnlyMemory<byte> Quote { get; }

    /// <summary>The 64 bytes of REPORTDATA the quote carries.</summary>
    public ReadOnlyMemory<byte> ReportData { get; }

    public string MrEnclaveHex { get; }

    public string MrSignerHex { get; }

    public ushort IsvProdId { get; }

    public ushort IsvSvn { get; }

    public bool IsDebug { get; }

    /// <summary>The quote carries the simulated QE vendor id (it proves no hardware; verifiers refuse it unless allowed).</summary>
    public bool IsSimulated { get; }

    public string ToBase64() => Convert.ToBase64String(Quote.Span);

    public override string ToString() =>
        $"{(IsSimulated ? "simulated " : "")}{EvidenceType}, MRENCLAVE {MrEnclaveHex}, {Quote.Length} bytes";
}
