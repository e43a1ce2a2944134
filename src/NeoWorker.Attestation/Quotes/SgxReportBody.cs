using System.Buffers.Binary;

namespace NeoWorker.Attestation.Quotes;

/// <summary>
/// A 384-byte SGX report body (Intel <c>sgx_report_body_t</c>): the ISV enclave's in a quote, and the
/// quoting enclave's inside the signature data. Offsets are relative to the start of the body.
/// </summary>
public sealed class SgxReportBody
{
    public const int Size = 384;

    /// <summary>ATTRIBUTES.FLAGS bits (Intel <c>SGX_FLAGS_*</c>).</summary>
    public const ulong InitFlag = 0x01, DebugFlag = 0x02, Mode64BitFlag = 0x04, ProvisionKeyFlag = 0x10;

    private SgxReportBody(ReadOnlyMemory<byte> raw)
    {
        var span = raw.Span;
        Raw = raw;
        CpuSvn = raw[..16];
        MiscSelect = BinaryPrimitives.ReadUInt32LittleEndian(span[16..]);
        IsvExtProdId = raw.Slice(32, 16);
        Attributes = raw.Slice(48, 16);
        AttributeFlags = BinaryPrimitives.ReadUInt64LittleEndian(span[48..]);
        Xfrm = BinaryPrimitives.ReadUInt64LittleEndian(span[56..]);
        MrEnclave = raw.Slice(64, 32);
        MrSigner = raw.Slice(128, 32);
        ConfigId = raw.Slice(192, 64);
        IsvProdId = BinaryPrimitives.ReadUInt16LittleEndian(span[256..]);
        IsvSvn = BinaryPrimitives.ReadUInt16LittleEndian(span[258..]);
        ConfigSvn = BinaryPrimitives.ReadUInt16LittleEndian(span[260..]);
        IsvFamilyId = raw.Slice(304, 16);
        ReportData = raw.Slice(320, 64);
    }

    /// <summary>The 384 bytes exactly as in the quote (what the QE report signature covers).</summary>
    public ReadOnlyMemory<byte> Raw { get; }

    public ReadOnlyMemory<byte> CpuSvn { get; }

    public uint MiscSelect { get; }

    public ReadOnlyMemory<byte> IsvExtProdId { get; }

    /// <summary>16 bytes: FLAGS (u64) then XFRM (u64).</summary>
    public ReadOnlyMemory<byte> Attributes { get; }

    public ulong AttributeFlags { get; }

    public ulong Xfrm { get; }

    /// <summary>A debug enclave's memory can be read by the host, so its report proves nothing about secrecy.</summary>
    public bool IsDebug => (AttributeFlags & DebugFlag) != 0;

    public ReadOnlyMemory<byte> MrEnclave { get; }

    public ReadOnlyMemory<byte> MrSigner { get; }

    public ReadOnlyMemory<byte> ConfigId { get; }

    public ushort IsvProdId { get; }

    public ushort IsvSvn { get; }

    public ushort ConfigSvn { get; }

    public ReadOnlyMemory<byte> IsvFamilyId { get; }

    /// <summary>64 bytes the enclave chose; NeoWorker puts SHA-256(enclave public key) ‖ 32 zeros here.</summary>
    public ReadOnlyMemory<byte> ReportData { get; }

    public string MrEnclaveHex => Convert.ToHexStringLower(MrEnclave.Span);

    public string MrSignerHex => Convert.ToHexStringLower(MrSigner.Span);

    internal static SgxReportBody Parse(ReadOnlyMemory<byte> raw, string which)
    {
        if (raw.Length != Size)
            throw new QuoteFormatException($"The {which} report body must be {Size} bytes; got {raw.Length}.");
        return new SgxReportBody(raw);
    }
}
