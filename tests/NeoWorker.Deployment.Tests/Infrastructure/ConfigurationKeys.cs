using System.Collections;
using System.Reflection;
using System.Text.Json;
using NeoWorker.Api;
using NeoWorker.Enclave.Configuration;
using NeoWorker.Persistence;
using NeoWorker.ServiceDefaults;
using NeoWorker.Worker;

namespace NeoWorker.Deployment.Tests.Infrastructure;

/// <summary>
/// Every configuration key the API and the worker read: the properties of each options class (a
/// public type with a <c>SectionName</c> constant, nested option classes followed, list items as
/// <c>*</c>), the connection string, and every key of their appsettings.json files.
/// Keys are compared case-insensitively, as .NET configuration does.
/// </summary>
internal static class ConfigurationKeys
{
    private static readonly Assembly[] Assemblies =
    [
        typeof(TeeOptions).Assembly,          // NeoWorker.Enclave
        typeof(RabbitMqOptions).Assembly,     // NeoWorker.ServiceDefaults
        typeof(WorkerOptions).Assembly,       // NeoWorker.Worker (Worker, Retention)
        typeof(ApiOptions).Assembly,          // NeoWorker.Api (Api, Sealing)
    ];

    public static IReadOnlySet<string> All { get; } = Collect();

    /// <summary>"Tee__Simulation__SealingKeyFiles__0" → "Tee:Simulation:SealingKeyFiles:*".</summary>
    public static string FromEnvironmentName(string name) =>
        string.Join(':', name.Split("__").Select(part => part.All(char.IsAsciiDigit) ? "*" : part));

    public static bool IsKnown(string environmentName) => All.Contains(FromEnvironmentName(environmentName));

    private static HashSet<string> Collect()
    {
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            $"ConnectionStrings:{PersistenceServiceCollectionExtensions.ConnectionStringName}",
        };
        foreach (var type in Assemblies.SelectMany(a => a.GetExportedTypes()))
        {
            if (type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } field
                && field.GetRawConstantValue() is string section)
            {
                AddProperties(keys, section, type, depth: 0);
            }
        }

        foreach (var project in new[] { "NeoWorker.Api", "NeoWorker.Worker" })
        {
            using var json = JsonDocument.Parse(Repository.Read("src", project, "appsettings.json"));
            AddJson(keys, "", json.RootElement);
        }

        return keys;
    }

    private static void AddProperties(HashSet<string> keys, string prefix, Type type, int depth)
    {
        if (depth > 5)
        {
            return;
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite || IsList(p.PropertyType)))
        {
            var key = $"{prefix}:{property.Name}";
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (IsList(propertyType))
            {
                keys.Add(key + ":*");
            }
            else if (propertyType.IsClass && propertyType != typeof(string) && propertyType.Namespace?.StartsWith("NeoWorker", StringComparison.Ordinal) == true)
            {
                AddProperties(keys, key, propertyType, depth + 1);
            }
            else
            {
                keys.Add(key);
            }
        }
    }

    private static bool IsList(Type type) => type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type);

    private static void AddJson(HashSet<string> keys, string prefix, JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                AddJson(keys, prefix.Length == 0 ? property.Name : $"{prefix}:{property.Name}", property.Value);
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            keys.Add(prefix + ":*");
        }
        else
        {
            keys.Add(prefix);
        }
    }
}
