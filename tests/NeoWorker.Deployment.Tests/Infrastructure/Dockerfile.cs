using System.Text.RegularExpressions;

namespace NeoWorker.Deployment.Tests.Infrastructure;

/// <summary>One instruction of a Dockerfile, continuation lines joined, in the stage it belongs to.</summary>
internal sealed record DockerInstruction(string Stage, string Keyword, string Arguments);

/// <summary>A Dockerfile read into instructions per stage (enough to compare paths, ports and settings).</summary>
internal sealed partial class Dockerfile
{
    private Dockerfile(string path, List<DockerInstruction> instructions)
    {
        Path = path;
        Instructions = instructions;
    }

    public string Path { get; }

    public IReadOnlyList<DockerInstruction> Instructions { get; }

    /// <summary>The last stage: the image that is built.</summary>
    public string FinalStage => Instructions.Last(i => i.Keyword == "FROM").Stage;

    public static Dockerfile Load(string path)
    {
        var instructions = new List<DockerInstruction>();
        var stage = "";
        var stages = 0;
        var pending = "";
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.StartsWith('#') || (line.Length == 0 && pending.Length == 0))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                pending += line[..^1] + " ";
                continue;
            }

            var full = (pending + line).Trim();
            pending = "";
            if (full.Length == 0)
            {
                continue;
            }

            var space = full.IndexOf(' ', StringComparison.Ordinal);
            var keyword = (space < 0 ? full : full[..space]).ToUpperInvariant();
            var arguments = space < 0 ? "" : full[(space + 1)..].Trim();
            if (keyword == "FROM")
            {
                var alias = FromAlias().Match(arguments);
                stage = alias.Success ? alias.Groups["name"].Value : $"stage{stages}";
                stages++;
            }

            instructions.Add(new DockerInstruction(stage, keyword, arguments));
        }

        return new Dockerfile(path, instructions);
    }

    public IEnumerable<DockerInstruction> InStage(string stage) => Instructions.Where(i => i.Stage == stage);

    public IEnumerable<DockerInstruction> Final(string keyword) => InStage(FinalStage).Where(i => i.Keyword == keyword);

    /// <summary>ENV of one stage (KEY=VALUE pairs; the values here have no spaces).</summary>
    public IReadOnlyDictionary<string, string> Environment(string stage)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var env in InStage(stage).Where(i => i.Keyword == "ENV"))
        {
            foreach (var pair in env.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                if (equals > 0)
                {
                    environment[pair[..equals]] = pair[(equals + 1)..];
                }
            }
        }

        return environment;
    }

    /// <summary>The destination of each COPY in a stage, by its source (flags such as --from= excluded).</summary>
    public IEnumerable<(string? From, IReadOnlyList<string> Sources, string Destination)> Copies(string stage)
    {
        foreach (var copy in InStage(stage).Where(i => i.Keyword == "COPY"))
        {
            var words = copy.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
            var from = words.FirstOrDefault(w => w.StartsWith("--from=", StringComparison.Ordinal))?["--from=".Length..];
            var paths = words.Where(w => !w.StartsWith("--", StringComparison.Ordinal)).ToList();
            yield return (from, paths[..^1], paths[^1]);
        }
    }

    [GeneratedRegex(@"\s+AS\s+(?<name>\S+)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex FromAlias();
}
