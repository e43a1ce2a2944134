using System.Buffers.Binary;

namespace NeoWorker.Attestation.Quotes;

/// <summary>The 48-byte quote header (Intel <c>sgx_quote_header_t</c>). Integers are little-endian.</summary>
public sealed class SgxQuoteHeader
{
    public const int Size = 48;

    /// <summary>The only version this parser reads: ECDSA quote v3 (SGX).</summary>
    public const ushort SupportedVersion = 3;

    /// <summary>ECDSA-256-with-P-256; the only attestation key type the verifier can check.</summary>
    public const ushort EcdsaP256KeyType = 2;

    private SgxQuoteHeader(ReadOnlyMemory<byte> raw)
    {
        var span = raw.Span;
        Raw = raw;
        Version = BinaryPrimitives.ReadUInt16LittleEndian(span);
        AttestationKeyType = BinaryPrimitives.ReadUInt16LittleEndian(span[2..]);
        AttestationKeyData0 = BinaryPrimitives.ReadUInt32LittleEndian(span[4..]);
        QeSvn = BinaryPrimitives.ReadUInt16LittleEndian(span[8..]);
        PceSvn = BinaryPrimitives.ReadUInt16LittleEndian(span[10..]);
        QeVendorId = raw.Slice(12, 16);
        UserData = raw.Slice(28, 20);
    }

    public ReadOnlyMemory<byte> Raw { get; }

    public ushort Version { get; }

    public ushort AttestationKeyType { get; }

    /// <summary>Reserved in v3 (0). Quote v4 reuses these bytes as <c>tee_type</c>, which is why v4 is refused.</summary>
    public uint AttestationKeyData0 { get; }

    /// <summary>The quoting enclave's ISVSVN as the QE reported it. TCB matching uses the QE report, not this.</summary>
    public ushort QeSvn { get; }

    /// <summary>The raw PCE SVN. TCB matching uses the PCK certificate's PCESVN, not this.</summary>
    public ushort PceSvn { get; }

    /// <summary>Intel's QE, or <see cref="SimulatedQuote.VendorId"/> for a NeoWorker simulated quote.</summary>
    public ReadOnlyMemory<byte> QeVendorId { get; }

    /// <summary>20 bytes chosen by the QE (Intel: the first 16 bytes of the QE ID hash, then zeros).</summary>
    public ReadOnlyMemory<byte> UserData { get; }

    internal static SgxQuoteHeader Parse(ReadOnlyMemory<byte> raw)
    {
        if (raw.Length != Size)
            throw new QuoteFormatException($"The quote header must be {Size} bytes; got {raw.Length}.");
        var header = new SgxQuoteHeader(raw);
        if (header.Version != SupportedVersion)
            throw new QuoteFormatException(
                $"Unsupported quote version {header.Version}; only version {SupportedVersion} (SGX DCAP ECDSA quote v3) is read.");
        if (header.AttestationKeyType != EcdsaP256KeyType)
            throw new QuoteFormatException(
                $"Unsupported attestation key type {header.AttestationKeyType}; only {EcdsaP256KeyType} (ECDSA-256-with-P-256) is read.");
        return header;
    }
}
