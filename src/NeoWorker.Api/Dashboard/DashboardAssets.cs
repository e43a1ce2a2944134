using System.Security.Cryptography;

namespace NeoWorker.Api.Dashboard;

/// <summary>
/// The dashboard's files (src/NeoWorker.Api/wwwroot), embedded in the API assembly so that the page
/// is served the same from a build output, a publish folder or a container, whatever the content root.
/// </summary>
internal static class DashboardAssets
{
    private const string ResourcePrefix = "dashboard/";

    public static IReadOnlyDictionary<string, DashboardAsset> Load()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var assets = new Dictionary<string, DashboardAsset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)
                ?? throw new InvalidOperationException($"Embedded dashboard file {resource} cannot be read.");
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var content = copy.ToArray();
            var name = resource[ResourcePrefix.Length..];
            assets[name] = new DashboardAsset(name, ContentTypeOf(name), content, $"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..32]}\"");
        }

        foreach (var required in new[] { "index.html", "app.js", "app.css" })
        {
            if (!assets.ContainsKey(required))
            {
                throw new InvalidOperationException($"The dashboard file wwwroot/{required} is not embedded in {assembly.GetName().Name}.");
            }
        }

        return assets;
    }

    private static string ContentTypeOf(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };
}
