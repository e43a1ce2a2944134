using System.Text.Json;

namespace NeoWorker.Attestation.Sealing;

/// <summary>Required string and canonical-base64 fields of an envelope; each kind of envelope supplies its own "malformed" error.</summary>
internal static class EnvelopeJson
{
    public static string RequiredString(JsonElement root, string name, Func<string, Exception> malformed)
    {
        if (!root.TryGetProperty(name, out var value)) throw malformed($"missing \"{name}\"");
        if (value.ValueKind != JsonValueKind.String) throw malformed($"\"{name}\" is not a string");
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw malformed($"\"{name}\" is not well-formed text");
        }
    }

    public static byte[] RequiredBase64(JsonElement root, string name, int minLength, int maxLength, Func<string, Exception> malformed)
    {
        var text = RequiredString(root, name, malformed);
        if (!SealingFormat.TryDecodeCanonicalBase64(text, minLength, maxLength, out var bytes))
        {
            var size = minLength == maxLength ? $"{minLength} bytes" : $"at least {minLength} bytes";
            throw malformed($"\"{name}\" is not canonical base64 of {size}");
        }
        return bytes;
    }
}
