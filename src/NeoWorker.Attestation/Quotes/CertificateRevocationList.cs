using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace NeoWorker.Attestation.Quotes;

/// <summary>
/// An X.509 CRL read with System.Formats.Asn1. .NET checks revocation only through its own fetched cache, so the
/// verifier checks Intel's supplied CRLs itself: right issuer, issuer's signature, current at the time, serial absent.
/// </summary>
internal sealed class CertificateRevocationList
{
    private const string EcdsaWithSha256 = "1.2.840.10045.4.3.2";
    private const string EcdsaWithSha384 = "1.2.840.10045.4.3.3";
    private const string EcdsaWithSha512 = "1.2.840.10045.4.3.4";

    private readonly HashSet<string> revokedSerials;

    private CertificateRevocationList(byte[] tbs, string signatureAlgorithm, byte[] signature, byte[] issuer,
        DateTimeOffset thisUpdate, DateTimeOffset? nextUpdate, HashSet<string> revokedSerials)
    {
        Tbs = tbs;
        SignatureAlgorithm = signatureAlgorithm;
        Signature = signature;
        Issuer = issuer;
        ThisUpdate = thisUpdate;
        NextUpdate = nextUpdate;
        this.revokedSerials = revokedSerials;
    }

    public byte[] Tbs { get; }

    public string SignatureAlgorithm { get; }

    public byte[] Signature { get; }

    /// <summary>The issuer Name's DER.</summary>
    public byte[] Issuer { get; }

    public DateTimeOffset ThisUpdate { get; }

    public DateTimeOffset? NextUpdate { get; }

    public int RevokedCount => revokedSerials.Count;

    public string IssuerName => CertificateNames.Of(new X500DistinguishedName(Issuer));

    public bool IsIssuedBy(X509Certificate2 issuer) => issuer.SubjectName.RawData.AsSpan().SequenceEqual(Issuer);

    public bool IsCurrentAt(DateTimeOffset time) => ThisUpdate <= time && (NextUpdate is null || time <= NextUpdate);

    public bool IsRevoked(X509Certificate2 certificate) => revokedSerials.Contains(SerialKey(certificate.SerialNumberBytes.Span));

    public bool IsSignedBy(X509Certificate2 issuer)
    {
        using var key = issuer.GetECDsaPublicKey();
        if (key is null) return false;
        var hash = SignatureAlgorithm switch
        {
            EcdsaWithSha256 => HashAlgorithmName.SHA256,
            EcdsaWithSha384 => HashAlgorithmName.SHA384,
            EcdsaWithSha512 => HashAlgorithmName.SHA512,
            _ => default,
        };
        return hash != default && key.VerifyData(Tbs, Signature, hash, DSASignatureFormat.Rfc3279DerSequence);
    }

    /// <summary>Reads a DER CRL, or a PEM one (<c>-----BEGIN X509 CRL-----</c>).</summary>
    public static CertificateRevocationList Parse(ReadOnlySpan<byte> derOrPem, string what)
    {
        try
        {
            return Decode(derOrPem.StartsWith("-----BEGIN"u8) ? FromPem(Encoding.ASCII.GetString(derOrPem), what) : derOrPem, what);
        }
        catch (AsnContentException e)
        {
            throw new CollateralFormatException($"{what} is not a DER CRL: {e.Message}");
        }
    }

    private static byte[] FromPem(string pem, string what)
    {
        if (!PemEncoding.TryFind(pem, out var fields) || pem[fields.Label] != "X509 CRL")
            throw new CollateralFormatException($"{what} is neither DER nor an 'X509 CRL' PEM block.");
        return Convert.FromBase64String(pem[fields.Base64Data]);
    }

    private static CertificateRevocationList Decode(ReadOnlySpan<byte> der, string what)
    {
        var reader = new AsnReader(der.ToArray(), AsnEncodingRules.DER);
        var certificateList = reader.ReadSequence();
        reader.ThrowIfNotAtEnd();

        var tbs = certificateList.ReadEncodedValue().ToArray();
        var signatureAlgorithm = certificateList.ReadSequence().ReadObjectIdentifier();
        var signature = certificateList.ReadBitString(out var unusedBits);
        certificateList.ThrowIfNotAtEnd();
        if (unusedBits != 0) throw new CollateralFormatException($"{what}: the signature bit string is not whole bytes.");

        var tbsReader = new AsnReader(tbs, AsnEncodingRules.DER).ReadSequence();
        if (tbsReader.PeekTag().HasSameClassAndValue(Asn1Tag.Integer)) tbsReader.ReadInteger(); // version v2
        var innerAlgorithm = tbsReader.ReadSequence().ReadObjectIdentifier();
        if (innerAlgorithm != signatureAlgorithm)
            throw new CollateralFormatException($"{what}: the signed and outer signature algorithms differ.");
        var issuer = tbsReader.ReadEncodedValue().ToArray();
        var thisUpdate = ReadTime(tbsReader);
        DateTimeOffset? nextUpdate = tbsReader.HasData && IsTime(tbsReader.PeekTag()) ? ReadTime(tbsReader) : null;

        var revoked = new HashSet<string>(StringComparer.Ordinal);
        if (tbsReader.HasData && tbsReader.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
        {
            var entries = tbsReader.ReadSequence();
            while (entries.HasData)
            {
                var entry = entries.ReadSequence();
                revoked.Add(SerialKey(entry.ReadIntegerBytes().Span));
            }
        }
        return new CertificateRevocationList(tbs, signatureAlgorithm, signature, issuer, thisUpdate, nextUpdate, revoked);
    }

    private static bool IsTime(Asn1Tag tag) =>
        tag.HasSameClassAndValue(new Asn1Tag(UniversalTagNumber.UtcTime))
        || tag.HasSameClassAndValue(new Asn1Tag(UniversalTagNumber.GeneralizedTime));

    private static DateTimeOffset ReadTime(AsnReader reader) =>
        reader.PeekTag().HasSameClassAndValue(new Asn1Tag(UniversalTagNumber.UtcTime))
            ? reader.ReadUtcTime()
            : reader.ReadGeneralizedTime();

    // Serials compare as unsigned big-endian numbers: DER adds a 0x00 when the top bit is set, certificates may not.
    private static string SerialKey(ReadOnlySpan<byte> bigEndian)
    {
        var start = 0;
        while (start < bigEndian.Length - 1 && bigEndian[start] == 0) start++;
        return Convert.ToHexString(bigEndian[start..]);
    }
}
