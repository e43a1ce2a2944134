using System.Buffers.Binary;
using System.Text;

namespace NeoWorker.Attestation.Quotes;

/// <summary>
/// The ECDSA signature data that follows the signed part of a v3 quote (Intel <c>sgx_ql_ecdsa_sig_data_t</c>,
/// then <c>sgx_ql_auth_data_t</c> and <c>sgx_ql_certification_data_t</c>). Offsets are relative to its start.
/// </summary>
public sealed class SgxQuoteSignatureData
{
    /// <summary>Certification data type 5: the PCK leaf, its CA and the root, as concatenated PEM.</summary>
    public const ushort PckCertChainType = 5;

    private const int FixedPartSize = 64 + 64 + SgxReportBody.Size + 64; // ISV sig, attestation key, QE report, QE sig

    private SgxQuoteSignatureData(ReadOnlyMemory<byte> raw, int authDataLength, ushort certificationDataType, int certificationDataLength)
    {
        IsvReportSignature = raw[..64];
        AttestationKey = raw.Slice(64, 64);
        QeReport = SgxReportBody.Parse(raw.Slice(128, SgxReportBody.Size), "QE");
        QeReportSignature = raw.Slice(512, 64);
        QeAuthData = raw.Slice(FixedPartSize + 2, authDataLength);
        CertificationDataType = certificationDataType;
        CertificationData = raw.Slice(FixedPartSize + 2 + authDataLength + 6, certificationDataLength);
        if (certificationDataType == PckCertChainType)
        {
            PckCertificateChainPem = Encoding.ASCII.GetString(CertificationData.Span).TrimEnd('\0');
            PckCertificateChain = CertificatePemChain.Read(PckCertificateChainPem, message => new QuoteFormatException(message))
                .Select(der => new ReadOnlyMemory<byte>(der)).ToArray();
        }
    }

    /// <summary>ECDSA P-256 r ‖ s (64 bytes) by the attestation key over header ‖ ISV report body.</summary>
    public ReadOnlyMemory<byte> IsvReportSignature { get; }

    /// <summary>The attestation public key, x ‖ y (64 bytes, no 0x04 prefix).</summary>
    public ReadOnlyMemory<byte> AttestationKey { get; }

    /// <summary>The quoting enclave's report; its REPORTDATA binds the attestation key.</summary>
    public SgxReportBody QeReport { get; }

    /// <summary>ECDSA P-256 r ‖ s by the PCK key over the 384 QE report bytes.</summary>
    public ReadOnlyMemory<byte> QeReportSignature { get; }

    public ReadOnlyMemory<byte> QeAuthData { get; }

    public ushort CertificationDataType { get; }

    /// <summary>The certification data bytes as in the quote (type 5: PEM text plus Intel's trailing NUL).</summary>
    public ReadOnlyMemory<byte> CertificationData { get; }

    /// <summary>Type 5 only: the PEM chain text without the trailing NUL.</summary>
    public string? PckCertificateChainPem { get; }

    /// <summary>Type 5 only: the DER of each certificate, leaf first. Empty for other types.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> PckCertificateChain { get; } = [];

    internal static SgxQuoteSignatureData Parse(ReadOnlyMemory<byte> raw)
    {
        var span = raw.Span;
        if (span.Length < FixedPartSize + 2)
            throw new QuoteFormatException(
                $"The signature data is {span.Length} bytes; it needs at least {FixedPartSize + 2} before the QE auth data.");

        int authDataLength = BinaryPrimitives.ReadUInt16LittleEndian(span[FixedPartSize..]);
        var certificationHeader = FixedPartSize + 2 + authDataLength;
        if (span.Length < certificationHeader + 6)
            throw new QuoteFormatException(
                $"QE auth data of {authDataLength} bytes leaves no room for the certification data header (signature data is {span.Length} bytes).");

        var certificationDataType = BinaryPrimitives.ReadUInt16LittleEndian(span[certificationHeader..]);
        var certificationDataLength = BinaryPrimitives.ReadUInt32LittleEndian(span[(certificationHeader + 2)..]);
        var available = span.Length - certificationHeader - 6;
        if (certificationDataLength != available)
            throw new QuoteFormatException(
                $"The certification data says {certificationDataLength} bytes but {available} remain in the signature data.");
        if (certificationDataType is < 1 or > 7)
            throw new QuoteFormatException($"Unknown certification data type {certificationDataType}; Intel defines 1 to 7.");

        return new SgxQuoteSignatureData(raw, authDataLength, certificationDataType, available);
    }
}
