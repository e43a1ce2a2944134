using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using NeoWorker.Attestation.Proofs;

namespace NeoWorker.Attestation.Sealing;

/// <summary>
/// An enclave's request for the fleet's sealing keys, version 1 (README.md, "Key release"):
/// <c>{"v":1,"enclavePublicKey":…,"evidence":…,"transportPublicKey":…,"nonce":…,"signature":…}</c>.
/// The evidence (a quote) binds the enclave key in its REPORTDATA; the enclave key signs the fresh transport key and
/// nonce, so a release wrapped to the transport key can only be opened inside the attested enclave. Holds public data only.
/// </summary>
public sealed class KeyReleaseRequest
{
    private static readonly JsonDocumentOptions ParseOptions = new() { AllowDuplicateProperties = false };
    private static readonly string[] FieldNames = ["v", "enclavePublicKey", "evidence", "transportPublicKey", "nonce", "signature"];

    private readonly byte[] enclavePublicKey;
    private readonly byte[] evidence;
    private readonly byte[] transportPublicKey;
    private readonly byte[] nonce;
    private readonly byte[] signature;

    /// <param name="enclavePublicKey">The enclave's P-256 signing key, uncompressed point (65 bytes).</param>
    /// <param name="evidence">The quote whose REPORTDATA is SHA-256(enclave key) ‖ 32 zero bytes.</param>
    /// <param name="transportPublicKey">The fresh P-256 key the release is wrapped to, uncompressed point (65 bytes).</param>
    /// <param name="nonce">16 bytes the enclave chose for this request.</param>
    /// <param name="signature">The enclave key's ECDSA P-256 / SHA-256 signature (r ‖ s, 64 bytes) over <see cref="SignedText"/>.</param>
    public KeyReleaseRequest(ReadOnlySpan<byte> enclavePublicKey, ReadOnlySpan<byte> evidence, ReadOnlySpan<byte> transportPublicKey,
        ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> signature)
    {
        if (enclavePublicKey.Length != EnclaveKeys.PointLength || enclavePublicKey[0] != 0x04)
            throw new ArgumentException("The enclave public key is a 65-byte uncompressed point.", nameof(enclavePublicKey));
        if (evidence.IsEmpty || evidence.Length > KeyReleaseFormat.MaxEvidenceLength)
            throw new ArgumentException($"The evidence is 1 to {KeyReleaseFormat.MaxEvidenceLength} bytes.", nameof(evidence));
        if (transportPublicKey.Length != SealingFormat.PointLength || transportPublicKey[0] != 0x04)
            throw new ArgumentException("The transport public key is a 65-byte uncompressed point.", nameof(transportPublicKey));
        if (nonce.Length != KeyReleaseFormat.RequestNonceLength)
            throw new ArgumentException($"The nonce is {KeyReleaseFormat.RequestNonceLength} bytes.", nameof(nonce));
        if (signature.Length != KeyReleaseFormat.SignatureLength)
            throw new ArgumentException($"The signature is {KeyReleaseFormat.SignatureLength} bytes (r ‖ s).", nameof(signature));

        this.enclavePublicKey = enclavePublicKey.ToArray();
        this.evidence = evidence.ToArray();
        this.transportPublicKey = transportPublicKey.ToArray();
        this.nonce = nonce.ToArray();
        this.signature = signature.ToArray();
    }

    public int Version => KeyReleaseFormat.Version;

    public ReadOnlyMemory<byte> EnclavePublicKey => enclavePublicKey;

    public ReadOnlyMemory<byte> Evidence => evidence;

    public ReadOnlyMemory<byte> TransportPublicKey => transportPublicKey;

    public ReadOnlyMemory<byte> Nonce => nonce;

    public ReadOnlyMemory<byte> Signature => signature;

    /// <summary>The enclave key's id as proofs name it: lowercase hex of the first 16 bytes of SHA-256(point).</summary>
    public string EnclaveKeyId => EnclaveKeys.KeyId(enclavePublicKey);

    /// <summary>The transport key's id as envelopes name keys: 16 base64url characters.</summary>
    public string TransportKeyId => SealingFormat.ComputeKeyId(transportPublicKey);

    /// <summary>The text the enclave key signs, binding the transport key and the nonce.</summary>
    public string SignedText => KeyReleaseFormat.RequestSignedText(Convert.ToBase64String(transportPublicKey), Convert.ToBase64String(nonce));

    /// <summary>
    /// Makes a request as an enclave does: signs <paramref name="transportKey"/> and a fresh nonce with the enclave key.
    /// (The runner does this in JavaScript; this is the same construction for .NET enclaves and tests.)
    /// </summary>
    public static KeyReleaseRequest Create(ECDsa enclaveKey, ReadOnlySpan<byte> evidence, SealingPublicKey transportKey)
    {
        ArgumentNullException.ThrowIfNull(enclaveKey);
        ArgumentNullException.ThrowIfNull(transportKey);
        var parameters = enclaveKey.ExportParameters(includePrivateParameters: false);
        if (!SealingFormat.IsP256(parameters))
            throw new ArgumentException("The enclave key must be a P-256 key.", nameof(enclaveKey));

        var point = SealingFormat.ToPoint(parameters);
        var nonce = RandomNumberGenerator.GetBytes(KeyReleaseFormat.RequestNonceLength);
        var transport = transportKey.ExportPoint();
        var text = KeyReleaseFormat.RequestSignedText(Convert.ToBase64String(transport), Convert.ToBase64String(nonce));
        var signature = enclaveKey.SignData(Encoding.UTF8.GetBytes(text), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return new KeyReleaseRequest(point, evidence, transport, nonce, signature);
    }

    /// <summary>True when the enclave key signed <see cref="SignedText"/>.</summary>
    public bool HasValidSignature()
    {
        try
        {
            using var key = EnclaveKeys.Import(enclavePublicKey);
            return key.VerifyData(Encoding.UTF8.GetBytes(SignedText), signature, HashAlgorithmName.SHA256,
                DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        catch (CryptographicException)
        {
            return false; // not a point on the curve
        }
    }

    /// <summary>The request JSON, properties in the fixed order, no whitespace.</summary>
    public string Serialize()
        => $$"""{"v":{{KeyReleaseFormat.Version}},"enclavePublicKey":"{{Convert.ToBase64String(enclavePublicKey)}}","evidence":"{{Convert.ToBase64String(evidence)}}","transportPublicKey":"{{Convert.ToBase64String(transportPublicKey)}}","nonce":"{{Convert.ToBase64String(nonce)}}","signature":"{{Convert.ToBase64String(signature)}}"}""";

    /// <summary>Parses a request strictly: exactly the six properties, each of the exact type and size, canonical base64.</summary>
    /// <exception cref="KeyReleaseRequestFormatException">Anything else; the message names the field.</exception>
    public static KeyReleaseRequest Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (json.Length > KeyReleaseFormat.MaxTextLength)
            throw new KeyReleaseRequestFormatException($"The key request is longer than {KeyReleaseFormat.MaxTextLength} characters.");

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, ParseOptions);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new KeyReleaseRequestFormatException("The key request is not valid JSON (or repeats a property).");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new KeyReleaseRequestFormatException("The key request is not a JSON object.");
            if (!root.TryGetProperty("v", out var version) || version.ValueKind != JsonValueKind.Number)
                throw new KeyReleaseRequestFormatException("The key request has no number \"v\".");
            if (!version.TryGetInt32(out var v) || v != KeyReleaseFormat.Version)
                throw new KeyReleaseRequestFormatException("The key request is not version 1.");
            foreach (var property in root.EnumerateObject())
            {
                if (Array.IndexOf(FieldNames, property.Name) < 0)
                    throw new KeyReleaseRequestFormatException("The key request has an unexpected property.");
            }

            var enclaveKey = Base64(root, "enclavePublicKey", EnclaveKeys.PointLength, EnclaveKeys.PointLength);
            var evidence = Base64(root, "evidence", 1, KeyReleaseFormat.MaxEvidenceLength);
            var transport = Base64(root, "transportPublicKey", SealingFormat.PointLength, SealingFormat.PointLength);
            var nonce = Base64(root, "nonce", KeyReleaseFormat.RequestNonceLength, KeyReleaseFormat.RequestNonceLength);
            var signature = Base64(root, "signature", KeyReleaseFormat.SignatureLength, KeyReleaseFormat.SignatureLength);
            if (enclaveKey[0] != 0x04) throw new KeyReleaseRequestFormatException("\"enclavePublicKey\" is not an uncompressed point.");
            if (transport[0] != 0x04) throw new KeyReleaseRequestFormatException("\"transportPublicKey\" is not an uncompressed point.");
            try
            {
                using var _ = SealingFormat.ImportPoint(transport);
            }
            catch (CryptographicException)
            {
                throw new KeyReleaseRequestFormatException("\"transportPublicKey\" is not a point on P-256.");
            }

            return new KeyReleaseRequest(enclaveKey, evidence, transport, nonce, signature);
        }
    }

    private static byte[] Base64(JsonElement root, string name, int minLength, int maxLength)
    {
        if (!root.TryGetProperty(name, out var value)) throw new KeyReleaseRequestFormatException($"The key request has no \"{name}\".");
        if (value.ValueKind != JsonValueKind.String) throw new KeyReleaseRequestFormatException($"\"{name}\" is not a string.");
        string text;
        try
        {
            text = value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw new KeyReleaseRequestFormatException($"\"{name}\" is not well-formed text.");
        }

        if (!SealingFormat.TryDecodeCanonicalBase64(text, minLength, maxLength, out var bytes))
        {
            var size = minLength == maxLength ? $"{minLength} bytes" : $"{minLength} to {maxLength} bytes";
            throw new KeyReleaseRequestFormatException($"\"{name}\" is not canonical base64 of {size}.");
        }
        return bytes;
    }

    public override string ToString() => $"Key release request v{Version} from enclave key {EnclaveKeyId}, transport key {TransportKeyId}";
}
