using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace NeoWorker.Attestation.Sealing;

/// <summary>
/// Seals a secrets JSON object to the fleet's public key, bound to one user and one function.
/// Used by clients and by the API (which seals a plaintext <c>secrets</c> field at once on arrival).
/// Stateless and thread-safe.
/// </summary>
public sealed class SecretSealer
{
    private static readonly JsonDocumentOptions ValidationOptions = new() { AllowDuplicateProperties = false };

    /// <param name="maxPlaintextBytes">Largest UTF-8 secrets text accepted; 64 KiB unless given.</param>
    public SecretSealer(int maxPlaintextBytes = SealingFormat.DefaultMaxPlaintextBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPlaintextBytes);
        MaxPlaintextBytes = maxPlaintextBytes;
    }

    /// <summary>The default limit, 64 KiB.</summary>
    public const int DefaultMaxPlaintextBytes = SealingFormat.DefaultMaxPlaintextBytes;

    public int MaxPlaintextBytes { get; }

    /// <summary>Seals <paramref name="secretsJson"/>, which must be the text of one JSON object.</summary>
    /// <returns>The envelope JSON text.</returns>
    /// <exception cref="SecretsFormatException">Not a JSON object, a duplicated property name, or too large. The message never contains the secrets.</exception>
    /// <exception cref="ArgumentException">userId or functionId empty, containing a line feed, or with lone surrogates.</exception>
    public string Seal(SealingPublicKey key, string secretsJson, string userId, string functionId)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(secretsJson);
        SealingFormat.ValidateBinding(userId, functionId);

        if (secretsJson.Length > MaxPlaintextBytes) throw TooLarge();
        byte[] plaintext;
        try
        {
            plaintext = SealingFormat.StrictUtf8.GetBytes(secretsJson);
        }
        catch (EncoderFallbackException)
        {
            throw new SecretsFormatException("Secrets must be well-formed Unicode text (it contains a lone surrogate).");
        }

        try
        {
            if (plaintext.Length > MaxPlaintextBytes) throw TooLarge();
            ValidateJsonObject(plaintext);
            return SealBytes(key, plaintext, userId, functionId);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    private SecretsFormatException TooLarge()
        => new($"Secrets must be at most {MaxPlaintextBytes} bytes of UTF-8 JSON.");

    private static void ValidateJsonObject(byte[] utf8)
    {
        try
        {
            using var document = JsonDocument.Parse(utf8, ValidationOptions);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new SecretsFormatException($"Secrets must be a JSON object, not {Describe(document.RootElement.ValueKind)}.");
        }
        catch (JsonException e)
        {
            // JsonException's own message quotes the offending character or property name: never pass it on.
            var where = e.LineNumber is { } line && e.BytePositionInLine is { } column
                ? $" (line {line + 1}, byte {column + 1})"
                : "";
            throw new SecretsFormatException($"Secrets must be a JSON object: the text is not valid JSON or repeats a property name{where}.");
        }
        catch (InvalidOperationException)
        {
            // Thrown (not JsonException) when comparing property names for duplicates meets a name escaping a lone surrogate.
            throw new SecretsFormatException("Secrets must be a JSON object whose property names are well-formed Unicode.");
        }
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "another kind of value",
    };

    /// <summary>Seals raw bytes without any validation (tests use it to make non-conforming envelopes).</summary>
    internal static string SealBytes(SealingPublicKey key, ReadOnlySpan<byte> plaintext, string userId, string functionId)
    {
        SealingFormat.ValidateBinding(userId, functionId);
        var (epk, nonce, ct) = EnvelopeCipher.Encrypt(key, plaintext, SealingFormat.Info, SealingFormat.AssociatedData(key.KeyId, userId, functionId));
        return new SealedEnvelope(key.KeyId, epk, nonce, ct).Serialize();
    }
}
