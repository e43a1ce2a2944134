using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace NeoWorker.Attestation.Quotes;

/// <summary>
/// Writes a NeoWorker simulated quote: byte for byte the layout of an SGX DCAP ECDSA v3 quote (see README.md in
/// this folder), with the simulated QE vendor id, signed by a fresh attestation key that a QE report — signed by the
/// simulated PCK key — binds exactly as Intel's QE does. The reference for the runner's JavaScript implementation.
/// The PCK key is borrowed, not owned: the caller disposes it.
/// </summary>
public sealed class SimulatedQuoteBuilder
{
    /// <summary>ATTRIBUTES.XFRM written into the ISV report: x87 | SSE, the architectural minimum.</summary>
    public const ulong Xfrm = 0x03;

    /// <summary>The QE auth data, as Intel's QE writes it by default: the bytes 0x00 to 0x1f.</summary>
    public static ReadOnlySpan<byte> QeAuthData =>
    [
        0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
        0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
    ];

    private readonly ECDsa pckKey;
    private readonly byte[] certificationData;

    /// <param name="pckKey">The simulated PCK private key (P-256).</param>
    /// <param name="pckCertificateChainPem">Its certificate, then any intermediates, then the simulation root, as PEM.</param>
    public SimulatedQuoteBuilder(ECDsa pckKey, string pckCertificateChainPem)
    {
        ArgumentNullException.ThrowIfNull(pckKey);
        ArgumentNullException.ThrowIfNull(pckCertificateChainPem);
        if (pckKey.KeySize != 256)
            throw new ArgumentException("The simulated PCK key must be a P-256 key.", nameof(pckKey));

        var chain = CertificatePemChain.Read(pckCertificateChainPem, message => new ArgumentException(message, nameof(pckCertificateChainPem)));
        using (var leaf = X509CertificateLoader.LoadCertificate(chain[0]))
        {
            if (!leaf.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(pckKey.ExportSubjectPublicKeyInfo()))
                throw new ArgumentException("The first certificate of the chain is not the simulated PCK key's certificate.", nameof(pckCertificateChainPem));
        }

        this.pckKey = pckKey;
        // Like Intel's QE: the PEM chain, then one NUL byte.
        certificationData = [.. Encoding.ASCII.GetBytes(CertificatePemChain.Write(chain)), 0];
    }

    /// <summary>A new simulated quote with a fresh attestation key.</summary>
    public byte[] Build(SimulatedEnclaveReport report) => Build(report, SimulatedQuote.VendorId);

    /// <summary>Test seam: the same quote with another QE vendor id, to prove the verifier refuses a disguised one.</summary>
    internal byte[] Build(SimulatedEnclaveReport report, ReadOnlySpan<byte> qeVendorId)
    {
        ArgumentNullException.ThrowIfNull(report);
        Require(report.ReportData, 64, nameof(report.ReportData));
        Require(report.MrEnclave, 32, nameof(report.MrEnclave));
        Require(report.MrSigner, 32, nameof(report.MrSigner));

        using var attestationKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var point = attestationKey.ExportParameters(includePrivateParameters: false).Q;
        byte[] attestationPublicKey = [.. point.X!, .. point.Y!];

        var signatureDataLength = 64 + 64 + SgxReportBody.Size + 64 + 2 + QeAuthData.Length + 2 + 4 + certificationData.Length;
        var quote = new byte[SgxQuote.SignatureDataOffset + signatureDataLength];
        var span = quote.AsSpan();

        // Header (48 bytes).
        BinaryPrimitives.WriteUInt16LittleEndian(span, SgxQuoteHeader.SupportedVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], SgxQuoteHeader.EcdsaP256KeyType);
        // att_key_data_0 (4..8), qe_svn (8..10), pce_svn (10..12) stay 0; user_data (28..48) stays zero.
        qeVendorId.CopyTo(span[12..28]);

        // ISV enclave report body (384 bytes at 48).
        var body = span.Slice(SgxQuoteHeader.Size, SgxReportBody.Size);
        var flags = SgxReportBody.InitFlag | SgxReportBody.Mode64BitFlag | (report.Debug ? SgxReportBody.DebugFlag : 0);
        BinaryPrimitives.WriteUInt64LittleEndian(body[48..], flags);
        BinaryPrimitives.WriteUInt64LittleEndian(body[56..], Xfrm);
        report.MrEnclave.Span.CopyTo(body[64..]);
        report.MrSigner.Span.CopyTo(body[128..]);
        BinaryPrimitives.WriteUInt16LittleEndian(body[256..], report.IsvProdId);
        BinaryPrimitives.WriteUInt16LittleEndian(body[258..], report.IsvSvn);
        report.ReportData.Span.CopyTo(body[320..]);

        BinaryPrimitives.WriteUInt32LittleEndian(span[SgxQuote.SignedLength..], (uint)signatureDataLength);
        var signatureData = span[SgxQuote.SignatureDataOffset..];

        // QE report (384 bytes at 128): all zero except REPORTDATA = SHA-256(attestation key ‖ QE auth data) ‖ 32 zeros.
        var qeReport = signatureData.Slice(128, SgxReportBody.Size);
        SHA256.HashData([.. attestationPublicKey, .. QeAuthData], qeReport[320..352]);

        attestationKey.SignData(span[..SgxQuote.SignedLength], signatureData[..64], HashAlgorithmName.SHA256,
            DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        attestationPublicKey.CopyTo(signatureData[64..128]);
        pckKey.SignData(qeReport, signatureData[512..576], HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

        var rest = signatureData[576..];
        BinaryPrimitives.WriteUInt16LittleEndian(rest, (ushort)QeAuthData.Length);
        QeAuthData.CopyTo(rest[2..]);
        rest = rest[(2 + QeAuthData.Length)..];
        BinaryPrimitives.WriteUInt16LittleEndian(rest, SgxQuoteSignatureData.PckCertChainType);
        BinaryPrimitives.WriteUInt32LittleEndian(rest[2..], (uint)certificationData.Length);
        certificationData.CopyTo(rest[6..]);
        return quote;
    }

    private static void Require(ReadOnlyMemory<byte> value, int length, string name)
    {
        if (value.Length != length)
            throw new ArgumentException($"{name} must be {length} bytes; got {value.Length}.", name);
    }
}
