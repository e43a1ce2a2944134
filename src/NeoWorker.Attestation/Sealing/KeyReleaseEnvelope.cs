using System.Text.Json;

namespace NeoWorker.Attestation.Sealing;

/// <summary>
/// A release of sealing keys to one enclave's transport key, version 1 (README.md, "Key release"):
/// <c>{"v":1,"alg":"ECDH-ES+HKDF-SHA256+A256GCM","kid":…,"sealingKeyIds":[…],"requestNonce":…,"epk":…,"nonce":…,"ct":…}</c>.
/// Parsing is strict: exactly these eight properties, each of the exact type and size.
/// </summary>
public sealed class KeyReleaseEnvelope
{
    private static readonly string[] FieldNames = ["v", "alg", "kid", "sealingKeyIds", "requestNonce", "epk", "nonce", "ct"];

    private readonly byte[] requestNonce;
    private readonly byte[] ephemeralPublicKey;
    private readonly byte[] nonce;
    private readonly byte[] ciphertext;

    /// <param name="transportKeyId">The transport key's id (16 base64url characters).</param>
    /// <param name="sealingKeyIds">The ids of the sealing keys inside, in order, newest first; 1 to 16, distinct.</param>
    /// <param name="requestNonce">The nonce of the request this answers (16 bytes).</param>
    /// <param name="ephemeralPublicKey">The ephemeral uncompressed P-256 point (65 bytes).</param>
    /// <param name="nonce">The AES-GCM nonce (12 bytes).</param>
    /// <param name="ciphertext">The ciphertext followed by the 16-byte GCM tag.</param>
    public KeyReleaseEnvelope(string transportKeyId, IReadOnlyList<string> sealingKeyIds, ReadOnlySpan<byte> requestNonce,
        ReadOnlySpan<byte> ephemeralPublicKey, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext)
    {
        ArgumentNullException.ThrowIfNull(transportKeyId);
        ArgumentNullException.ThrowIfNull(sealingKeyIds);
        if (!SealingFormat.IsKeyId(transportKeyId))
            throw new ArgumentException("A key id is 16 base64url characters.", nameof(transportKeyId));
        if (sealingKeyIds.Count is 0 or > KeyReleaseFormat.MaxSealingKeys || sealingKeyIds.Any(id => id is null || !SealingFormat.IsKeyId(id))
            || sealingKeyIds.Distinct(StringComparer.Ordinal).Count() != sealingKeyIds.Count)
            throw new ArgumentException($"1 to {KeyReleaseFormat.MaxSealingKeys} distinct key ids of 16 base64url characters.", nameof(sealingKeyIds));
        if (requestNonce.Length != KeyReleaseFormat.RequestNonceLength)
            throw new ArgumentException($"The request nonce is {KeyReleaseFormat.RequestNonceLength} bytes.", nameof(requestNonce));
        if (ephemeralPublicKey.Length != SealingFormat.PointLength || ephemeralPublicKey[0] != 0x04)
            throw new ArgumentException("The ephemeral key is a 65-byte uncompressed point.", nameof(ephemeralPublicKey));
        if (nonce.Length != SealingFormat.NonceLength)
            throw new ArgumentException("The nonce is 12 bytes.", nameof(nonce));
        if (ciphertext.Length < SealingFormat.TagLength)
            throw new ArgumentException("The ciphertext ends with a 16-byte tag.", nameof(ciphertext));

        TransportKeyId = transportKeyId;
        SealingKeyIds = [.. sealingKeyIds];
        this.requestNonce = requestNonce.ToArray();
        this.ephemeralPublicKey = ephemeralPublicKey.ToArray();
        this.nonce = nonce.ToArray();
        this.ciphertext = ciphertext.ToArray();
    }

    public int Version => KeyReleaseFormat.Version;

    public string Algorithm => SealingFormat.Algorithm;

    public string TransportKeyId { get; }

    public IReadOnlyList<string> SealingKeyIds { get; }

    public ReadOnlyMemory<byte> RequestNonce => requestNonce;

    public ReadOnlyMemory<byte> EphemeralPublicKey => ephemeralPublicKey;

    public ReadOnlyMemory<byte> Nonce => nonce;

    /// <summary>Ciphertext || 16-byte GCM tag.</summary>
    public ReadOnlyMemory<byte> Ciphertext => ciphertext;

    /// <summary>The envelope JSON, properties in the fixed order, no whitespace.</summary>
    public string Serialize()
        => $$"""{"v":{{KeyReleaseFormat.Version}},"alg":"{{SealingFormat.Algorithm}}","kid":"{{TransportKeyId}}","sealingKeyIds":[{{string.Join(',', SealingKeyIds.Select(id => $"\"{id}\""))}}],"requestNonce":"{{Convert.ToBase64String(requestNonce)}}","epk":"{{Convert.ToBase64String(ephemeralPublicKey)}}","nonce":"{{Convert.ToBase64String(nonce)}}","ct":"{{Convert.ToBase64String(ciphertext)}}"}""";

    /// <summary>Parses a release strictly.</summary>
    /// <exception cref="KeyReleaseException"><see cref="KeyReleaseRejection.MalformedRelease"/> or <see cref="KeyReleaseRejection.UnsupportedVersion"/>.</exception>
    public static KeyReleaseEnvelope Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (json.Length > KeyReleaseFormat.MaxTextLength) throw Malformed($"longer than {KeyReleaseFormat.MaxTextLength} characters");

        using (var document = EnvelopeJson.ParseObject(json, KeyReleaseFormat.Version, FieldNames, Malformed,
            () => new KeyReleaseException(KeyReleaseRejection.UnsupportedVersion, "only version 1 is supported")))
        {
            var root = document.RootElement;

            if (RequiredString(root, "alg") != SealingFormat.Algorithm)
                throw new KeyReleaseException(KeyReleaseRejection.UnsupportedVersion, $"only \"{SealingFormat.Algorithm}\" is supported");
            var kid = RequiredString(root, "kid");
            if (!SealingFormat.IsKeyId(kid)) throw Malformed("\"kid\" is not 16 base64url characters");
            var sealingKeyIds = KeyIds(root);
            var requestNonce = RequiredBase64(root, "requestNonce", KeyReleaseFormat.RequestNonceLength, KeyReleaseFormat.RequestNonceLength);
            var epk = RequiredBase64(root, "epk", SealingFormat.PointLength, SealingFormat.PointLength);
            if (epk[0] != 0x04) throw Malformed("\"epk\" is not an uncompressed point");
            var nonce = RequiredBase64(root, "nonce", SealingFormat.NonceLength, SealingFormat.NonceLength);
            var ct = RequiredBase64(root, "ct", SealingFormat.TagLength, int.MaxValue);
            return new KeyReleaseEnvelope(kid, sealingKeyIds, requestNonce, epk, nonce, ct);
        }
    }

    private static List<string> KeyIds(JsonElement root)
    {
        if (!root.TryGetProperty("sealingKeyIds", out var value)) throw Malformed("missing \"sealingKeyIds\"");
        if (value.ValueKind != JsonValueKind.Array) throw Malformed("\"sealingKeyIds\" is not an array");
        var ids = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String) throw Malformed("\"sealingKeyIds\" holds something other than strings");
            var id = item.GetString()!;
            if (!SealingFormat.IsKeyId(id)) throw Malformed("\"sealingKeyIds\" holds a string that is not 16 base64url characters");
            if (ids.Contains(id, StringComparer.Ordinal)) throw Malformed("\"sealingKeyIds\" names a key twice");
            ids.Add(id);
        }

        if (ids.Count is 0 or > KeyReleaseFormat.MaxSealingKeys)
            throw Malformed($"\"sealingKeyIds\" must name 1 to {KeyReleaseFormat.MaxSealingKeys} keys");
        return ids;
    }

    private static string RequiredString(JsonElement root, string name) => EnvelopeJson.RequiredString(root, name, Malformed);

    private static byte[] RequiredBase64(JsonElement root, string name, int minLength, int maxLength) =>
        EnvelopeJson.RequiredBase64(root, name, minLength, maxLength, Malformed);

    private static KeyReleaseException Malformed(string detail) => new(KeyReleaseRejection.MalformedRelease, detail);

    public override string ToString() => $"Key release v{Version} to transport key {TransportKeyId}: sealing keys {string.Join(", ", SealingKeyIds)}";
}
