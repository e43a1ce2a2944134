namespace NeoWorker.Deployment.Tests.Infrastructure;

/// <summary>docker-compose.yml, parsed (<see cref="MiniYaml"/>), with typed views of what the tests compare.</summary>
internal sealed class ComposeFile
{
    private readonly Dictionary<string, object?> _root;

    private ComposeFile(string text, Dictionary<string, object?> root)
    {
        Text = text;
        _root = root;
    }

    public string Text { get; }

    public static ComposeFile Load()
    {
        var text = File.ReadAllText(Repository.ComposeFile);
        return new ComposeFile(text, MiniYaml.Parse(text) as Dictionary<string, object?>
            ?? throw new FormatException("docker-compose.yml is not a mapping"));
    }

    public IReadOnlyDictionary<string, object?> Services => Map(_root, "services");

    public IReadOnlyDictionary<string, object?> Volumes => Map(_root, "volumes");

    public IReadOnlyDictionary<string, object?> Service(string name) =>
        Services.TryGetValue(name, out var service) && service is Dictionary<string, object?> map
            ? map
            : throw new KeyNotFoundException($"docker-compose.yml has no service '{name}'");

    /// <summary>The service's environment as written (uninterpolated).</summary>
    public IReadOnlyDictionary<string, string> Environment(string service)
    {
        var environment = Service(service).GetValueOrDefault("environment");
        return environment switch
        {
            null => new Dictionary<string, string>(),
            Dictionary<string, object?> map => map.ToDictionary(p => p.Key, p => p.Value as string ?? "", StringComparer.Ordinal),
            _ => throw new FormatException($"service '{service}': write environment as a mapping"),
        };
    }

    public IReadOnlyList<string> List(string service, string key) => Service(service).GetValueOrDefault(key) switch
    {
        null => [],
        List<object?> items => items.Select(i => i as string ?? throw new FormatException($"service '{service}': {key} must list strings")).ToList(),
        _ => throw new FormatException($"service '{service}': {key} must be a list"),
    };

    public IReadOnlyDictionary<string, object?> Map(string service, string key) => Map(Service(service), key);

    /// <summary>The service's volume mounts as (source, target, read-only).</summary>
    public IReadOnlyList<(string Source, string Target, bool ReadOnly)> Mounts(string service) =>
        List(service, "volumes").Select(v =>
        {
            var parts = v.Split(':');
            return parts.Length switch
            {
                1 => ("", parts[0], false),
                2 => (parts[0], parts[1], false),
                _ => (parts[0], parts[1], parts[2] == "ro"),
            };
        }).ToList();

    private static IReadOnlyDictionary<string, object?> Map(IReadOnlyDictionary<string, object?> parent, string key) =>
        parent.GetValueOrDefault(key) as Dictionary<string, object?> ?? new Dictionary<string, object?>();
}
