using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NeoWorker.Attestation.Tests.Sealing;

/// <summary>Edits an envelope's JSON text field by field, keeping the property order.</summary>
internal static class EnvelopeText
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Replaces (or, if absent, appends) <paramref name="name"/> with a raw JSON value; null removes it.</summary>
    public static string With(string envelope, string name, string? rawJsonValue)
    {
        var properties = Properties(envelope);
        var index = properties.FindIndex(p => p.Name == name);
        if (rawJsonValue is null)
        {
            properties.RemoveAt(index);
        }
        else if (index >= 0)
        {
            properties[index] = (name, rawJsonValue);
        }
        else
        {
            properties.Add((name, rawJsonValue));
        }
        return "{" + string.Join(",", properties.Select(p => $"{Quote(p.Name)}:{p.Raw}")) + "}";
    }

    public static string WithString(string envelope, string name, string value) => With(envelope, name, Quote(value));

    public static string Field(string envelope, string name) => JsonNode.Parse(envelope)![name]!.GetValue<string>();

    public static byte[] Bytes(string envelope, string name) => Convert.FromBase64String(Field(envelope, name));

    public static string WithBytes(string envelope, string name, byte[] value) => WithString(envelope, name, Convert.ToBase64String(value));

    /// <summary>Flips the lowest bit of one byte of a base64 field.</summary>
    public static string Flip(string envelope, string name, int index)
    {
        var bytes = Bytes(envelope, name);
        bytes[index < 0 ? bytes.Length + index : index] ^= 0x01;
        return WithBytes(envelope, name, bytes);
    }

    private static List<(string Name, string Raw)> Properties(string envelope)
        => JsonNode.Parse(envelope)!.AsObject().Select(p => (p.Key, p.Value!.ToJsonString(Relaxed))).ToList();

    private static string Quote(string value) => JsonSerializer.Serialize(value, Relaxed);
}
