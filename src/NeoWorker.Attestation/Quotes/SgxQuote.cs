using System.Buffers.Binary;

namespace NeoWorker.Attestation.Quotes;

/// <summary>
/// An Intel SGX DCAP ECDSA quote, version 3: header (48 bytes) ‖ ISV report body (384) ‖ signature data length (u32)
/// ‖ signature data. The same layout carries NeoWorker's simulated quotes (see <see cref="SimulatedQuote"/>).
/// Parsing only decodes; <see cref="QuoteVerifier"/> decides whether to believe it.
/// </summary>
public sealed class SgxQuote
{
    /// <summary>Header ‖ ISV report body: the bytes the ISV report signature covers.</summary>
    public const int SignedLength = SgxQuoteHeader.Size + SgxReportBody.Size;

    /// <summary>Where the signature data starts (after its u32 length).</summary>
    public const int SignatureDataOffset = SignedLength + 4;

    private SgxQuote(ReadOnlyMemory<byte> raw, SgxQuoteHeader header, SgxReportBody reportBody, SgxQuoteSignatureData signatureData)
    {
        Raw = raw;
        Header = header;
        ReportBody = reportBody;
        SignatureData = signatureData;
    }

    /// <summary>A private copy of the whole quote.</summary>
    public ReadOnlyMemory<byte> Raw { get; }

    public SgxQuoteHeader Header { get; }

    /// <summary>The ISV (application) enclave's report.</summary>
    public SgxReportBody ReportBody { get; }

    public SgxQuoteSignatureData SignatureData { get; }

    public ReadOnlyMemory<byte> SignedBytes => Raw[..SignedLength];

    /// <summary>True when the header carries NeoWorker's simulated QE vendor id. Only a claim until verified.</summary>
    public bool ClaimsSimulated => Header.QeVendorId.Span.SequenceEqual(SimulatedQuote.VendorId);

    /// <summary>Decodes a quote; anything but a well-formed v3 ECDSA-P256 quote with exact lengths is a <see cref="QuoteFormatException"/>.</summary>
    public static SgxQuote Parse(ReadOnlySpan<byte> quote)
    {
        if (quote.Length < SignatureDataOffset)
            throw new QuoteFormatException(
                $"A v3 quote is at least {SignatureDataOffset} bytes (header, report body, signature data length); got {quote.Length}.");

        var raw = quote.ToArray().AsMemory();
        var header = SgxQuoteHeader.Parse(raw[..SgxQuoteHeader.Size]);
        var reportBody = SgxReportBody.Parse(raw.Slice(SgxQuoteHeader.Size, SgxReportBody.Size), "ISV enclave");
        var signatureDataLength = BinaryPrimitives.ReadUInt32LittleEndian(quote[SignedLength..]);
        var remaining = quote.Length - SignatureDataOffset;
        if (signatureDataLength != remaining)
            throw new QuoteFormatException(
                $"signature_data_len is {signatureDataLength} but {remaining} bytes follow it; the quote is truncated or has trailing bytes.");
        var signatureData = SgxQuoteSignatureData.Parse(raw[SignatureDataOffset..]);
        return new SgxQuote(raw, header, reportBody, signatureData);
    }
}
