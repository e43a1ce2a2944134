namespace NeoWorker.Deployment.Tests.Infrastructure;

/// <summary>.env.example as NAME → value (comments and blank lines skipped).</summary>
internal static class EnvExample
{
    public static IReadOnlyDictionary<string, string> Load()
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in File.ReadAllLines(Repository.EnvExample))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new FormatException($".env.example: '{line}' is not NAME=value");
            }

            values.Add(line[..equals], line[(equals + 1)..]);
        }

        return values;
    }
}
