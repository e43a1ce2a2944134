using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace NeoWorker.Attestation.Sealing;

/// <summary>
/// Opens envelopes with one of the fleet's sealing keys, chosen by <c>kid</c> (several keys during rotation).
/// Does not own the keys: dispose them yourself. Thread-safe.
/// </summary>
public sealed class SecretUnsealer
{
    private readonly Dictionary<string, SealingKeyPair> keys = new(StringComparer.Ordinal);

    /// <param name="keys">The key pairs to try, at least one; two with the same key id are refused.</param>
    /// <param name="maxPlaintextBytes">Largest plaintext accepted; 64 KiB unless given.</param>
    public SecretUnsealer(IEnumerable<SealingKeyPair> keys, int maxPlaintextBytes = SealingFormat.DefaultMaxPlaintextBytes)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPlaintextBytes);
        foreach (var key in keys)
        {
            ArgumentNullException.ThrowIfNull(key, nameof(keys));
            if (!this.keys.TryAdd(key.KeyId, key))
                throw new ArgumentException($"Two sealing keys have the same key id {key.KeyId}.", nameof(keys));
        }
        if (this.keys.Count == 0) throw new ArgumentException("At least one sealing key is needed.", nameof(keys));
        MaxPlaintextBytes = maxPlaintextBytes;
    }

    public int MaxPlaintextBytes { get; }

    public IReadOnlyCollection<string> KeyIds => keys.Keys;

    /// <summary>Unseals an envelope sealed for this user and function.</summary>
    /// <returns>The secrets JSON text (a JSON object).</returns>
    /// <exception cref="SealedSecretsException">Any reason in <see cref="SealedSecretsReason"/>.</exception>
    /// <exception cref="ArgumentException">userId or functionId empty, containing a line feed, or with lone surrogates.</exception>
    public string Unseal(string envelope, string userId, string functionId)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        SealingFormat.ValidateBinding(userId, functionId);

        if (envelope.Length > SealingFormat.MaxEnvelopeLength(MaxPlaintextBytes))
            throw new SealedSecretsException(SealedSecretsReason.TooLarge, $"the envelope is larger than {MaxPlaintextBytes} bytes of secrets allow");
        var sealedEnvelope = SealedEnvelope.Parse(envelope);
        var ct = sealedEnvelope.Ciphertext.Span;
        if (ct.Length - SealingFormat.TagLength > MaxPlaintextBytes)
            throw new SealedSecretsException(SealedSecretsReason.TooLarge, $"the secrets are larger than {MaxPlaintextBytes} bytes");
        if (!keys.TryGetValue(sealedEnvelope.KeyId, out var key))
            throw new SealedSecretsException(SealedSecretsReason.UnknownKeyId, $"no sealing key with id {sealedEnvelope.KeyId}");

        var epk = sealedEnvelope.EphemeralPublicKey.Span;
        byte[] sharedSecret;
        try
        {
            using var ephemeral = SealingFormat.ImportPoint(epk);
            sharedSecret = key.DeriveSharedSecret(ephemeral);
        }
        catch (CryptographicException)
        {
            throw new SealedSecretsException(SealedSecretsReason.MalformedEnvelope, "\"epk\" is not a point on P-256");
        }

        var aesKey = SealingFormat.DeriveKey(sharedSecret, epk, key.PublicKey.Point);
        CryptographicOperations.ZeroMemory(sharedSecret);
        var plaintext = new byte[ct.Length - SealingFormat.TagLength];
        try
        {
            try
            {
                using var aes = new AesGcm(aesKey, SealingFormat.TagLength);
                aes.Decrypt(sealedEnvelope.Nonce.Span, ct[..plaintext.Length], ct[plaintext.Length..], plaintext,
                    SealingFormat.AssociatedData(sealedEnvelope.KeyId, userId, functionId));
            }
            catch (CryptographicException)
            {
                throw new SealedSecretsException(SealedSecretsReason.DecryptionFailed,
                    "the envelope does not open for this user and function (sealed for another, or altered)");
            }
            return DecodeJsonObject(plaintext);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(aesKey);
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    // Same acceptance as the JavaScript runner: strict UTF-8 (no BOM), then any JSON object.
    private static string DecodeJsonObject(byte[] plaintext)
    {
        string text;
        try
        {
            text = SealingFormat.StrictUtf8.GetString(plaintext);
        }
        catch (DecoderFallbackException)
        {
            throw InvalidPlaintext("not UTF-8 text");
        }

        try
        {
            using var document = JsonDocument.Parse(plaintext);
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw InvalidPlaintext("not a JSON object");
        }
        catch (JsonException)
        {
            throw InvalidPlaintext("not a JSON object");
        }
        return text;
    }

    private static SealedSecretsException InvalidPlaintext(string detail)
        => new(SealedSecretsReason.InvalidPlaintext, $"the decrypted secrets are {detail}");
}
