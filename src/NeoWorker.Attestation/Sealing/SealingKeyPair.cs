using System.Security.Cryptography;

namespace NeoWorker.Attestation.Sealing;

/// <summary>
/// The fleet's sealing key pair (ECDH P-256). Only enclaves hold one (simulation: the worker's key file).
/// Owns a native key handle: dispose it. Safe to use from several threads.
/// </summary>
public sealed class SealingKeyPair : IDisposable
{
    private readonly ECDiffieHellman key;
    private readonly Lock gate = new();

    private SealingKeyPair(ECDiffieHellman key)
    {
        this.key = key;
        PublicKey = SealingPublicKey.FromParameters(key.ExportParameters(includePrivateParameters: false));
    }

    public SealingPublicKey PublicKey { get; }

    public string KeyId => PublicKey.KeyId;

    /// <summary>Makes a new random P-256 key pair.</summary>
    public static SealingKeyPair Generate() => new(ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>
    /// Loads an unencrypted PKCS#8 PEM (<c>-----BEGIN PRIVATE KEY-----</c>), as
    /// <c>openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt</c> writes it.
    /// </summary>
    public static SealingKeyPair FromPem(string pem)
    {
        var der = SealingPem.ReadSingle(pem, SealingPem.PrivateKeyLabel);
        var key = ECDiffieHellman.Create();
        try
        {
            key.ImportPkcs8PrivateKey(der, out var read);
            if (read != der.Length) throw new CryptographicException();
            if (!SealingFormat.IsP256(key.ExportParameters(includePrivateParameters: false)))
                throw new SealingKeyFormatException("The private key is not on the P-256 (prime256v1) curve.");
            return new SealingKeyPair(key);
        }
        catch (CryptographicException)
        {
            key.Dispose();
            throw new SealingKeyFormatException("The PRIVATE KEY PEM is not an EC PKCS#8 private key.");
        }
        catch
        {
            key.Dispose();
            throw;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(der);
        }
    }

    /// <summary>Unencrypted PKCS#8 PEM of the private key. Handle the result as a secret.</summary>
    public string ExportPrivateKeyPem()
    {
        lock (gate)
        {
            return key.ExportPkcs8PrivateKeyPem();
        }
    }

    /// <summary>Raw ECDH agreement (the 32-byte X coordinate) with the given public point.</summary>
    internal byte[] DeriveSharedSecret(ECDiffieHellman peer)
    {
        using var peerPublic = peer.PublicKey;
        lock (gate)
        {
            return key.DeriveRawSecretAgreement(peerPublic);
        }
    }

    public void Dispose() => key.Dispose();

    public override string ToString() => $"P-256 sealing key pair {KeyId}";
}
