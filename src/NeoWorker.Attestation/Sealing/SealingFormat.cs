using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace NeoWorker.Attestation.Sealing;

/// <summary>The fixed constants and derivations of the sealed-secrets format, version 1 (README.md).</summary>
internal static class SealingFormat
{
    public const int Version = 1;
    public const string Algorithm = "ECDH-ES+HKDF-SHA256+A256GCM";
    public const string Info = "neoworker/secrets/v1";
    public const int DefaultMaxPlaintextBytes = 64 * 1024;

    public const int PointLength = 65;
    public const int CoordinateLength = 32;
    public const int KeyIdBytes = 12;
    public const int KeyIdLength = 16;
    public const int NonceLength = 12;
    public const int TagLength = 16;
    public const int KeyLength = 32;

    /// <summary>Slack allowed in an envelope's text beyond its base64 ciphertext (other fields, whitespace).</summary>
    public const int EnvelopeOverheadChars = 1024;

    public const string P256Oid = "1.2.840.10045.3.1.7";

    public static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>base64url (no padding) of the first 12 bytes of SHA-256 of the uncompressed point.</summary>
    public static string ComputeKeyId(ReadOnlySpan<byte> point)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(point, hash);
        return Base64Url.EncodeToString(hash[..KeyIdBytes]);
    }

    public static bool IsKeyId(string value)
    {
        if (value.Length != KeyIdLength) return false;
        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_')) return false;
        }
        return true;
    }

    /// <summary>HKDF-SHA256(ikm = Z, salt = epk || fleet public point, info = "neoworker/secrets/v1"), 32 bytes.</summary>
    public static byte[] DeriveKey(ReadOnlySpan<byte> sharedSecret, ReadOnlySpan<byte> ephemeralPoint, ReadOnlySpan<byte> fleetPoint)
        => DeriveKey(sharedSecret, ephemeralPoint, fleetPoint, Info);

    /// <summary>HKDF-SHA256(ikm = Z, salt = epk || recipient point, info), 32 bytes: the same construction under another info.</summary>
    public static byte[] DeriveKey(ReadOnlySpan<byte> sharedSecret, ReadOnlySpan<byte> ephemeralPoint, ReadOnlySpan<byte> recipientPoint, string info)
    {
        Span<byte> salt = stackalloc byte[2 * PointLength];
        ephemeralPoint.CopyTo(salt);
        recipientPoint.CopyTo(salt[PointLength..]);
        var key = new byte[KeyLength];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, sharedSecret, key, salt, Encoding.ASCII.GetBytes(info));
        return key;
    }

    /// <summary>UTF-8 of "neoworker/secrets/v1\n" + kid + "\n" + userId + "\n" + functionId.</summary>
    public static byte[] AssociatedData(string keyId, string userId, string functionId)
        => StrictUtf8.GetBytes($"{Info}\n{keyId}\n{userId}\n{functionId}");

    /// <summary>
    /// userId and functionId must be non-empty, well-formed Unicode and free of '\n', so that the
    /// associated data names exactly one (user, function) pair.
    /// </summary>
    public static void ValidateBinding(string userId, string functionId)
    {
        ValidateBindingPart(userId, nameof(userId));
        ValidateBindingPart(functionId, nameof(functionId));
    }

    private static void ValidateBindingPart(string value, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(value, name);
        if (value.Contains('\n'))
            throw new ArgumentException("Must not contain a line feed.", name);
        if (!IsWellFormed(value))
            throw new ArgumentException("Must be well-formed Unicode (no lone surrogates).", name);
    }

    private static bool IsWellFormed(string value)
    {
        for (var i = 0; i < value.Length;)
        {
            if (Rune.DecodeFromUtf16(value.AsSpan(i), out _, out var consumed) is not OperationStatus.Done) return false;
            i += consumed;
        }
        return true;
    }

    /// <summary>Longest envelope text accepted before parsing it: base64 of the largest ciphertext plus slack.</summary>
    public static long MaxEnvelopeLength(int maxPlaintextBytes)
        => 4L * ((maxPlaintextBytes + (long)TagLength + 2) / 3) + EnvelopeOverheadChars;

    /// <summary>Standard base64 with padding, and only the canonical encoding (no whitespace, no stray bits).</summary>
    public static bool TryDecodeCanonicalBase64(string text, int minLength, int maxLength, out byte[] bytes)
    {
        bytes = [];
        if (text.Length % 4 != 0 || text.Length / 4 * 3 < minLength || text.Length / 4 * 3 - 2 > maxLength) return false;
        var buffer = new byte[text.Length / 4 * 3];
        if (!Convert.TryFromBase64String(text, buffer, out var written)) return false;
        if (written < minLength || written > maxLength) return false;
        if (!string.Equals(Convert.ToBase64String(buffer, 0, written), text, StringComparison.Ordinal)) return false;
        bytes = written == buffer.Length ? buffer : buffer[..written];
        return true;
    }

    /// <summary>04 || X || Y, each coordinate 32 bytes big-endian.</summary>
    public static byte[] ToPoint(ECParameters parameters)
    {
        var point = new byte[PointLength];
        point[0] = 0x04;
        parameters.Q.X.AsSpan().CopyTo(point.AsSpan(1, CoordinateLength));
        parameters.Q.Y.AsSpan().CopyTo(point.AsSpan(1 + CoordinateLength, CoordinateLength));
        return point;
    }

    /// <summary>Imports an uncompressed P-256 point; throws <see cref="CryptographicException"/> if it is not on the curve.</summary>
    public static ECDiffieHellman ImportPoint(ReadOnlySpan<byte> point)
    {
        if (point.Length != PointLength || point[0] != 0x04)
            throw new CryptographicException("Not an uncompressed P-256 point.");
        return ECDiffieHellman.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = point[1..(1 + CoordinateLength)].ToArray(), Y = point[(1 + CoordinateLength)..].ToArray() },
        });
    }

    public static bool IsP256(ECParameters parameters)
        => parameters.Curve.IsNamed && parameters.Curve.Oid?.Value == P256Oid;
}
