using System.Security.Cryptography;

namespace NeoWorker.Attestation.Proofs;

/// <summary>The enclave signing key as proofs carry it: a P-256 point (65 bytes, 04‖X‖Y), base64.</summary>
public static class EnclaveKeys
{
    public const int PointLength = 65;

    /// <summary>Lowercase hex of the first 16 bytes of SHA-256(point).</summary>
    public static string KeyId(ReadOnlySpan<byte> point) => Convert.ToHexStringLower(SHA256.HashData(point)[..16]);

    /// <summary>REPORTDATA that binds the key: SHA-256(point) followed by 32 zero bytes.</summary>
    public static byte[] ReportData(ReadOnlySpan<byte> point)
    {
        var reportData = new byte[64];
        SHA256.HashData(point, reportData);
        return reportData;
    }

    public static ECDsa Import(ReadOnlySpan<byte> point)
    {
        if (point.Length != PointLength || point[0] != 0x04)
        {
            throw new CryptographicException("The enclave public key is not an uncompressed P-256 point.");
        }

        return ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = point[1..33].ToArray(), Y = point[33..].ToArray() },
        });
    }
}
