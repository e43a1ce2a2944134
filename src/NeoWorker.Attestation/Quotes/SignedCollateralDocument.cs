using System.Text;
using System.Text.Json;

namespace NeoWorker.Attestation.Quotes;

/// <summary>
/// An Intel PCS document <c>{"&lt;body&gt;":{…},"signature":"&lt;hex r‖s&gt;"}</c>. The signature covers the body's
/// exact bytes as served, so the body is sliced out of the original text, never re-serialized.
/// </summary>
internal sealed class SignedCollateralDocument
{
    private SignedCollateralDocument(ReadOnlyMemory<byte> body, byte[] signature)
    {
        Body = body;
        Signature = signature;
    }

    /// <summary>The UTF-8 bytes of the body object, from its '{' to its '}'.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>ECDSA P-256 r ‖ s (64 bytes).</summary>
    public byte[] Signature { get; }

    public static SignedCollateralDocument Parse(string json, string bodyProperty, string what)
    {
        var utf8 = Encoding.UTF8.GetBytes(json);
        ReadOnlyMemory<byte>? body = null;
        string? signatureHex = null;
        try
        {
            var reader = new Utf8JsonReader(utf8);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                throw new CollateralFormatException($"{what} is not a JSON object.");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                if (name == bodyProperty)
                {
                    if (body is not null || reader.TokenType != JsonTokenType.StartObject)
                        throw new CollateralFormatException($"{what}: '{bodyProperty}' must be one JSON object.");
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    body = utf8.AsMemory(start, (int)reader.BytesConsumed - start);
                }
                else if (name == "signature")
                {
                    if (signatureHex is not null || reader.TokenType != JsonTokenType.String)
                        throw new CollateralFormatException($"{what}: 'signature' must be one hex string.");
                    signatureHex = reader.GetString();
                }
                else
                {
                    reader.Skip();
                }
            }
            if (reader.Read())
                throw new CollateralFormatException($"{what} has content after its JSON object.");
        }
        catch (JsonException e)
        {
            throw new CollateralFormatException($"{what} is not valid JSON: {e.Message}");
        }

        if (body is null) throw new CollateralFormatException($"{what} has no '{bodyProperty}' object.");
        if (signatureHex is null) throw new CollateralFormatException($"{what} has no 'signature'.");
        var signature = CollateralJson.Hex(signatureHex, 64, $"{what} signature");
        return new SignedCollateralDocument(body.Value, signature);
    }
}
