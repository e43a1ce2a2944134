using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace NeoWorker.Attestation.Quotes;

/// <summary>
/// The SGX extension of a PCK certificate (OID 1.2.840.113741.1.13.1). TCB levels are matched against these values,
/// not against the quote's own CPUSVN/PCESVN: the PCK certificate is what Intel vouched for.
/// </summary>
public sealed class PckCertificateExtensions
{
    public const string SgxExtensionOid = "1.2.840.113741.1.13.1";

    private const string PpidOid = SgxExtensionOid + ".1";
    private const string TcbOid = SgxExtensionOid + ".2";
    private const string PceIdOid = SgxExtensionOid + ".3";
    private const string FmspcOid = SgxExtensionOid + ".4";
    private const string SgxTypeOid = SgxExtensionOid + ".5";
    private const string PlatformInstanceIdOid = SgxExtensionOid + ".6";
    private const string PceSvnOid = TcbOid + ".17";
    private const string CpuSvnOid = TcbOid + ".18";

    private PckCertificateExtensions(byte[] ppid, int[] tcbComponentSvns, int pceSvn, byte[] cpuSvn, byte[] pceId, byte[] fmspc,
        int sgxType, byte[]? platformInstanceId)
    {
        Ppid = ppid;
        TcbComponentSvns = tcbComponentSvns;
        PceSvn = pceSvn;
        CpuSvn = cpuSvn;
        PceId = pceId;
        Fmspc = fmspc;
        SgxType = sgxType;
        PlatformInstanceId = platformInstanceId is null ? null : new ReadOnlyMemory<byte>(platformInstanceId);
    }

    public ReadOnlyMemory<byte> Ppid { get; }

    /// <summary>SGX TCB component SVNs 1 to 16.</summary>
    public IReadOnlyList<int> TcbComponentSvns { get; }

    public int PceSvn { get; }

    public ReadOnlyMemory<byte> CpuSvn { get; }

    public ReadOnlyMemory<byte> PceId { get; }

    /// <summary>Family-Model-Stepping-Platform-CustomSKU: selects the TCB Info that applies.</summary>
    public ReadOnlyMemory<byte> Fmspc { get; }

    /// <summary>0 = Standard, 1 = Scalable, 2 = Scalable with integrity.</summary>
    public int SgxType { get; }

    /// <summary>Platform CA certificates only.</summary>
    public ReadOnlyMemory<byte>? PlatformInstanceId { get; }

    public string FmspcHex => Convert.ToHexStringLower(Fmspc.Span);

    public string PceIdHex => Convert.ToHexStringLower(PceId.Span);

    /// <summary>Reads the SGX extension of a PCK certificate; a missing or malformed one is a <see cref="QuoteFormatException"/>.</summary>
    public static PckCertificateExtensions Read(X509Certificate2 pckCertificate)
    {
        ArgumentNullException.ThrowIfNull(pckCertificate);
        var extension = pckCertificate.Extensions[SgxExtensionOid]
            ?? throw new QuoteFormatException($"The PCK certificate has no SGX extension ({SgxExtensionOid}).");
        try
        {
            return Decode(extension.RawData);
        }
        catch (AsnContentException e)
        {
            throw new QuoteFormatException($"The PCK certificate's SGX extension is not valid DER: {e.Message}");
        }
    }

    private static PckCertificateExtensions Decode(byte[] der)
    {
        byte[]? ppid = null, cpuSvn = null, pceId = null, fmspc = null, platformInstanceId = null;
        int[]? components = null;
        int? pceSvn = null, sgxType = null;

        var outer = new AsnReader(der, AsnEncodingRules.DER);
        var entries = outer.ReadSequence();
        outer.ThrowIfNotAtEnd();
        while (entries.HasData)
        {
            var entry = entries.ReadSequence();
            var oid = entry.ReadObjectIdentifier();
            switch (oid)
            {
                case PpidOid: ppid = entry.ReadOctetString(); break;
                case PceIdOid: pceId = entry.ReadOctetString(); break;
                case FmspcOid: fmspc = entry.ReadOctetString(); break;
                case PlatformInstanceIdOid: platformInstanceId = entry.ReadOctetString(); break;
                case SgxTypeOid: sgxType = ReadSmallInteger(entry.ReadEnumeratedBytes().Span, "SGX type"); break;
                case TcbOid: (components, pceSvn, cpuSvn) = DecodeTcb(entry.ReadSequence()); break;
                default: entry.ReadEncodedValue(); break; // e.g. .7 Configuration: not needed for TCB matching
            }
            entry.ThrowIfNotAtEnd();
        }

        return new PckCertificateExtensions(
            ppid ?? throw Missing("PPID"),
            components ?? throw Missing("TCB"),
            pceSvn ?? throw Missing("PCESVN"),
            cpuSvn ?? throw Missing("CPUSVN"),
            pceId ?? throw Missing("PCE-ID"),
            fmspc is { Length: 6 } ? fmspc : throw Missing("6-byte FMSPC"),
            sgxType ?? throw Missing("SGX type"),
            platformInstanceId);
    }

    private static (int[] Components, int PceSvn, byte[] CpuSvn) DecodeTcb(AsnReader tcb)
    {
        var components = new int?[16];
        int? pceSvn = null;
        byte[]? cpuSvn = null;
        while (tcb.HasData)
        {
            var entry = tcb.ReadSequence();
            var oid = entry.ReadObjectIdentifier();
            if (oid == PceSvnOid)
                pceSvn = ReadSmallInteger(entry.ReadIntegerBytes().Span, "PCESVN");
            else if (oid == CpuSvnOid)
                cpuSvn = entry.ReadOctetString();
            else if (oid.StartsWith(TcbOid + ".", StringComparison.Ordinal)
                     && int.TryParse(oid.AsSpan(TcbOid.Length + 1), out var index) && index is >= 1 and <= 16)
                components[index - 1] = ReadSmallInteger(entry.ReadIntegerBytes().Span, $"TCB component {index}");
            else
                entry.ReadEncodedValue();
            entry.ThrowIfNotAtEnd();
        }

        var missing = Array.FindIndex(components, c => c is null);
        if (missing >= 0) throw Missing($"TCB component {missing + 1} SVN");
        return (components.Select(c => c!.Value).ToArray(), pceSvn ?? throw Missing("PCESVN"), cpuSvn ?? throw Missing("CPUSVN"));
    }

    // SVNs are 0..255 (components) or 0..65535 (PCESVN); anything wider is malformed, not a big number to carry around.
    private static int ReadSmallInteger(ReadOnlySpan<byte> bigEndian, string what)
    {
        if (bigEndian.Length is 0 or > 3 || (bigEndian[0] & 0x80) != 0)
            throw new QuoteFormatException($"The PCK certificate's {what} is not a small non-negative integer.");
        var value = 0;
        foreach (var b in bigEndian) value = (value << 8) | b;
        return value;
    }

    private static QuoteFormatException Missing(string what) =>
        new($"The PCK certificate's SGX extension has no {what}.");
}
