using System.Globalization;
using System.Text.Json;

namespace NeoWorker.Attestation.Quotes;

/// <summary>Typed reads of Intel collateral JSON that fail with a <see cref="CollateralFormatException"/> naming the field.</summary>
internal static class CollateralJson
{
    public static JsonElement Property(JsonElement obj, string name, string what)
    {
        if (obj.ValueKind != JsonValueKind.Object)
            throw new CollateralFormatException($"{what} is not a JSON object.");
        return obj.TryGetProperty(name, out var value) ? value : throw new CollateralFormatException($"{what} has no '{name}'.");
    }

    public static string String(JsonElement obj, string name, string what)
    {
        var value = Property(obj, name, what);
        return value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new CollateralFormatException($"{what}: '{name}' is not a string.");
    }

    public static int Int(JsonElement obj, string name, string what)
    {
        var value = Property(obj, name, what);
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number >= 0
            ? number
            : throw new CollateralFormatException($"{what}: '{name}' is not a non-negative integer.");
    }

    public static DateTimeOffset Date(JsonElement obj, string name, string what)
    {
        var text = String(obj, name, what);
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date)
            ? date
            : throw new CollateralFormatException($"{what}: '{name}' is not a date ('{text}').");
    }

    public static byte[] HexProperty(JsonElement obj, string name, int length, string what) =>
        Hex(String(obj, name, what), length, $"{what} '{name}'");

    public static byte[] Hex(string text, int length, string what)
    {
        try
        {
            var bytes = Convert.FromHexString(text);
            return bytes.Length == length ? bytes : throw new CollateralFormatException($"{what} must be {length} bytes; got {bytes.Length}.");
        }
        catch (FormatException)
        {
            throw new CollateralFormatException($"{what} is not hex.");
        }
    }

    public static IReadOnlyList<string> StringArrayOrEmpty(JsonElement obj, string name, string what)
    {
        if (!obj.TryGetProperty(name, out var value)) return [];
        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
            throw new CollateralFormatException($"{what}: '{name}' is not an array of strings.");
        return value.EnumerateArray().Select(e => e.GetString()!).ToArray();
    }

    public static IEnumerable<JsonElement> Array(JsonElement obj, string name, string what)
    {
        var value = Property(obj, name, what);
        return value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray()
            : throw new CollateralFormatException($"{what}: '{name}' is not an array.");
    }
}
