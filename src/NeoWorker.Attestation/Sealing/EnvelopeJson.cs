using System.Text.Json;

namespace NeoWorker.Attestation.Sealing;

/// <summary>
/// The frame, required string and canonical-base64 fields of an envelope; each kind of envelope supplies its own
/// "malformed" and "unsupported version" errors.
/// </summary>
internal static class EnvelopeJson
{
    private static readonly JsonDocumentOptions ParseOptions = new() { AllowDuplicateProperties = false };

    /// <summary>
    /// Parses an envelope's text, refusing duplicated properties, and checks its frame: a JSON object whose number
    /// "v" is <paramref name="version"/> and which holds no property outside <paramref name="fieldNames"/>.
    /// The caller disposes the document.
    /// </summary>
    public static JsonDocument ParseObject(string json, int version, string[] fieldNames, Func<string, Exception> malformed,
        Func<Exception> unsupportedVersion)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, ParseOptions);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: comparing names for duplicates, a name escaping a lone surrogate.
            throw malformed("not valid JSON (or a duplicated property)");
        }

        try
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw malformed("not a JSON object");
            if (!root.TryGetProperty("v", out var v)) throw malformed("missing \"v\"");
            if (v.ValueKind != JsonValueKind.Number) throw malformed("\"v\" is not a number");
            if (!v.TryGetDouble(out var number) || number != version) throw unsupportedVersion();
            foreach (var property in root.EnumerateObject())
            {
                if (Array.IndexOf(fieldNames, property.Name) < 0) throw malformed("unexpected property");
            }

            return document;
        }
        catch
        {
            document.Dispose();
            throw;
        }
    }

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
