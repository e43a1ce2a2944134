using System.Security.Cryptography;

namespace NeoWorker.Attestation.Sealing;

/// <summary>
/// The encryption both envelope kinds share (sealed secrets and key releases): ECDH with a fresh
/// ephemeral P-256 key against the recipient, HKDF-SHA256 under <c>info</c>, AES-256-GCM with
/// <c>aad</c>. Only the info string, the associated data and the envelope around it differ.
/// </summary>
internal static class EnvelopeCipher
{
    /// <returns>The ephemeral public point, the nonce, and the ciphertext followed by its tag.</returns>
    public static (byte[] Epk, byte[] Nonce, byte[] Ct) Encrypt(SealingPublicKey recipient, ReadOnlySpan<byte> plaintext, string info,
        ReadOnlySpan<byte> aad)
    {
        using var ephemeral = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var epk = SealingFormat.ToPoint(ephemeral.ExportParameters(includePrivateParameters: false));
        byte[] sharedSecret;
        using (var key = recipient.CreateKey())
        using (var recipientPublic = key.PublicKey)
        {
            sharedSecret = ephemeral.DeriveRawSecretAgreement(recipientPublic);
        }

        var aesKey = SealingFormat.DeriveKey(sharedSecret, epk, recipient.Point, info);
        CryptographicOperations.ZeroMemory(sharedSecret);
        try
        {
            var nonce = RandomNumberGenerator.GetBytes(SealingFormat.NonceLength);
            var ct = new byte[plaintext.Length + SealingFormat.TagLength];
            using (var aes = new AesGcm(aesKey, SealingFormat.TagLength))
            {
                aes.Encrypt(nonce, plaintext, ct.AsSpan(0, plaintext.Length), ct.AsSpan(plaintext.Length), aad);
            }

            return (epk, nonce, ct);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(aesKey);
        }
    }
}
