using NeoWorker.Deployment.Tests.Infrastructure;

namespace NeoWorker.Deployment.Tests;

/// <summary>The README's configuration reference names every key of every options class.</summary>
public sealed class ReadmeConfigurationTests
{
    [Fact]
    public void Every_options_key_is_in_the_configuration_reference()
    {
        var readme = Repository.Read("README.md");
        var start = readme.IndexOf("\n## Configuration", StringComparison.Ordinal);
        var end = readme.IndexOf("\n## ", start + 5, StringComparison.Ordinal);
        var reference = readme[start..end];
        var rows = reference.Split('\n').Where(line => line.StartsWith('|')).ToList();

        var missing = ConfigurationKeys.All
            .Where(key => !key.StartsWith("Logging:LogLevel", StringComparison.Ordinal) && key != "AllowedHosts")
            .Select(key => key.EndsWith(":*", StringComparison.Ordinal) ? key[..^2] : key)
            .Where(key => !rows.Any(row => Mentions(row, key)))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.True(missing.Count == 0, "README.md, Configuration, lacks: " + string.Join(", ", missing));
    }

    /// <summary>A row names a key when it has its first segment and its last as a whole word (rows list siblings as "A:B:C / D").</summary>
    private static bool Mentions(string row, string key)
    {
        var parts = key.Split(':');
        return row.Contains(parts[0], StringComparison.Ordinal)
            && System.Text.RegularExpressions.Regex.IsMatch(row, $@"(?<![A-Za-z]){System.Text.RegularExpressions.Regex.Escape(parts[^1])}(?![A-Za-z])");
    }
}
