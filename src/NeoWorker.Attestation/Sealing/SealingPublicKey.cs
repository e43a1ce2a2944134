using System.Security.Cryptography;

namespace NeoWorker.Attestation.Sealing;

/// <summary>
/// The fleet's public sealing key (ECDH P-256), as clients and the API need it to seal secrets.
/// Immutable; holds only the 65-byte uncompressed point.
/// </summary>
public sealed class SealingPublicKey : IEquatable<SealingPublicKey>
{
    private readonly byte[] point;

    private SealingPublicKey(byte[] point)
    {
        this.point = point;
        KeyId = SealingFormat.ComputeKeyId(point);
    }

    /// <summary>base64url (no padding) of the first 12 bytes of SHA-256 of the uncompressed point; 16 characters.</summary>
    public string KeyId { get; }

    internal ReadOnlySpan<byte> Point => point;

    /// <summary>Loads an uncompressed SEC1 point, <c>04 || X || Y</c> (65 bytes), checking that it is on P-256.</summary>
    public static SealingPublicKey FromPoint(ReadOnlySpan<byte> point)
    {
        try
        {
            using var key = SealingFormat.ImportPoint(point);
        }
        catch (CryptographicException)
        {
            throw new SealingKeyFormatException("Not an uncompressed P-256 point (65 bytes, 0x04 prefix, on the curve).");
        }
        return new SealingPublicKey(point.ToArray());
    }

    /// <summary>Loads the standard base64 (with padding) of the uncompressed point.</summary>
    public static SealingPublicKey FromBase64Point(string base64Point)
    {
        ArgumentNullException.ThrowIfNull(base64Point);
        if (!SealingFormat.TryDecodeCanonicalBase64(base64Point, SealingFormat.PointLength, SealingFormat.PointLength, out var point))
            throw new SealingKeyFormatException("Not the base64 of a 65-byte uncompressed P-256 point.");
        return FromPoint(point);
    }

    /// <summary>Loads a SubjectPublicKeyInfo PEM (<c>-----BEGIN PUBLIC KEY-----</c>), as <c>openssl pkey -pubout</c> writes it.</summary>
    public static SealingPublicKey FromPem(string pem)
    {
        var der = SealingPem.ReadSingle(pem, SealingPem.PublicKeyLabel);
        using var key = ECDiffieHellman.Create();
        try
        {
            key.ImportSubjectPublicKeyInfo(der, out var read);
            if (read != der.Length) throw new CryptographicException();
        }
        catch (CryptographicException)
        {
            throw new SealingKeyFormatException("The PUBLIC KEY PEM is not an EC SubjectPublicKeyInfo.");
        }
        return FromParameters(key.ExportParameters(includePrivateParameters: false));
    }

    internal static SealingPublicKey FromParameters(ECParameters parameters)
    {
        if (!SealingFormat.IsP256(parameters))
            throw new SealingKeyFormatException("The key is not on the P-256 (prime256v1) curve.");
        return new SealingPublicKey(SealingFormat.ToPoint(parameters));
    }

    /// <summary>The 65-byte uncompressed point (a copy).</summary>
    public byte[] ExportPoint() => (byte[])point.Clone();

    /// <summary>Standard base64 (with padding) of the uncompressed point.</summary>
    public string ExportBase64Point() => Convert.ToBase64String(point);

    /// <summary>SubjectPublicKeyInfo PEM, the same text <c>openssl pkey -pubout</c> writes.</summary>
    public string ExportPem()
    {
        using var key = CreateKey();
        return key.ExportSubjectPublicKeyInfoPem();
    }

    internal ECDiffieHellman CreateKey() => SealingFormat.ImportPoint(point);

    public bool Equals(SealingPublicKey? other) => other is not null && point.AsSpan().SequenceEqual(other.point);

    public override bool Equals(object? obj) => Equals(obj as SealingPublicKey);

    public override int GetHashCode() => KeyId.GetHashCode(StringComparison.Ordinal);

    public override string ToString() => $"P-256 sealing key {KeyId}";
}
