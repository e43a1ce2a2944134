using System.Text.Json;

namespace NeoWorker.Attestation.Sealing;

/// <summary>
/// A sealed-secrets envelope, version 1:
/// <c>{"v":1,"alg":"ECDH-ES+HKDF-SHA256+A256GCM","kid":…,"epk":…,"nonce":…,"ct":…}</c> (README.md).
/// Parsing is strict: exactly these six properties, each of the exact type and size.
/// </summary>
public sealed record SealedEnvelope
{
    private static readonly string[] FieldNames = ["v", "alg", "kid", "epk", "nonce", "ct"];

    /// <param name="keyId">The fleet key's id, 16 base64url characters.</param>
    /// <param name="ephemeralPublicKey">The ephemeral uncompressed P-256 point, 65 bytes.</param>
    /// <param name="nonce">The AES-GCM nonce, 12 bytes.</param>
    /// <param name="ciphertext">The ciphertext followed by the 16-byte GCM tag.</param>
    public SealedEnvelope(string keyId, ReadOnlySpan<byte> ephemeralPublicKey, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        if (!SealingFormat.IsKeyId(keyId))
            throw new ArgumentException("A key id is 16 base64url characters.", nameof(keyId));
        if (ephemeralPublicKey.Length != SealingFormat.PointLength || ephemeralPublicKey[0] != 0x04)
            throw new ArgumentException("The ephemeral key is a 65-byte uncompressed point.", nameof(ephemeralPublicKey));
        if (nonce.Length != SealingFormat.NonceLength)
            throw new ArgumentException("The nonce is 12 bytes.", nameof(nonce));
        if (ciphertext.Length < SealingFormat.TagLength)
            throw new ArgumentException("The ciphertext ends with a 16-byte tag.", nameof(ciphertext));

        KeyId = keyId;
        EphemeralPublicKey = ephemeralPublicKey.ToArray();
        Nonce = nonce.ToArray();
        Ciphertext = ciphertext.ToArray();
    }

    public int Version => SealingFormat.Version;

    public string Algorithm => SealingFormat.Algorithm;

    public string KeyId { get; }

    public ReadOnlyMemory<byte> EphemeralPublicKey { get; }

    public ReadOnlyMemory<byte> Nonce { get; }

    /// <summary>Ciphertext || 16-byte GCM tag.</summary>
    public ReadOnlyMemory<byte> Ciphertext { get; }

    /// <summary>The envelope JSON, properties in the fixed order, no whitespace.</summary>
    public string Serialize()
        // Every value is base64, base64url or a fixed ASCII name: nothing to escape. (Utf8JsonWriter's
        // default encoder would write '+' as \u002B, legal but needlessly unlike the documented form.)
        => $$"""{"v":{{SealingFormat.Version}},"alg":"{{SealingFormat.Algorithm}}","kid":"{{KeyId}}","epk":"{{Convert.ToBase64String(EphemeralPublicKey.Span)}}","nonce":"{{Convert.ToBase64String(Nonce.Span)}}","ct":"{{Convert.ToBase64String(Ciphertext.Span)}}"}""";

    /// <summary>Parses an envelope strictly.</summary>
    /// <exception cref="SealedSecretsException">
    /// <see cref="SealedSecretsReason.MalformedEnvelope"/> or <see cref="SealedSecretsReason.UnsupportedVersion"/>.
    /// </exception>
    public static SealedEnvelope Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using (var document = EnvelopeJson.ParseObject(json, SealingFormat.Version, FieldNames, Malformed,
            () => new SealedSecretsException(SealedSecretsReason.UnsupportedVersion, "only version 1 is supported")))
        {
            var root = document.RootElement;

            var alg = RequiredString(root, "alg");
            if (alg != SealingFormat.Algorithm)
                throw new SealedSecretsException(SealedSecretsReason.UnsupportedVersion, $"only \"{SealingFormat.Algorithm}\" is supported");

            var kid = RequiredString(root, "kid");
            if (!SealingFormat.IsKeyId(kid)) throw Malformed("\"kid\" is not 16 base64url characters");

            var epk = RequiredBase64(root, "epk", SealingFormat.PointLength, SealingFormat.PointLength);
            if (epk[0] != 0x04) throw Malformed("\"epk\" is not an uncompressed point");

            var nonce = RequiredBase64(root, "nonce", SealingFormat.NonceLength, SealingFormat.NonceLength);
            var ct = RequiredBase64(root, "ct", SealingFormat.TagLength, int.MaxValue);
            return new SealedEnvelope(kid, epk, nonce, ct);
        }
    }

    private static string RequiredString(JsonElement root, string name) => EnvelopeJson.RequiredString(root, name, Malformed);

    private static byte[] RequiredBase64(JsonElement root, string name, int minLength, int maxLength) =>
        EnvelopeJson.RequiredBase64(root, name, minLength, maxLength, Malformed);

    private static SealedSecretsException Malformed(string detail) => new(SealedSecretsReason.MalformedEnvelope, detail);

    public bool Equals(SealedEnvelope? other)
        => other is not null
           && KeyId == other.KeyId
           && EphemeralPublicKey.Span.SequenceEqual(other.EphemeralPublicKey.Span)
           && Nonce.Span.SequenceEqual(other.Nonce.Span)
           && Ciphertext.Span.SequenceEqual(other.Ciphertext.Span);

    public override int GetHashCode() => HashCode.Combine(KeyId, Convert.ToBase64String(Nonce.Span));

    public override string ToString() => $"SealedEnvelope v{Version} kid={KeyId} ct={Ciphertext.Length} bytes";
}
