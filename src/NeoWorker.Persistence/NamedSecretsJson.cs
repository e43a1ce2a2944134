using System.Text.Json;

namespace NeoWorker.Persistence;

/// <summary>How a job row keeps its named secrets: a JSON object of name → envelope (every value sealed).</summary>
public static class NamedSecretsJson
{
    public static string? Write(IReadOnlyDictionary<string, string>? secrets) =>
        secrets is null || secrets.Count == 0 ? null : JsonSerializer.Serialize(secrets);

    public static IReadOnlyDictionary<string, string>? Read(string? json) =>
        json is null ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(json);
}
