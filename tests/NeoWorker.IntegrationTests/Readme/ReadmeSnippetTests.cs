using System.Text.RegularExpressions;
using NeoWorker.IntegrationTests.Infrastructure;

namespace NeoWorker.IntegrationTests.Readme;

/// <summary>The README's C# snippets are the compiled ones in ReadmeSnippets.cs, line for line.</summary>
public sealed partial class ReadmeSnippetTests
{
    [Fact]
    public void Every_csharp_block_of_the_readme_is_compiled_in_ReadmeSnippets()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));
        var compiled = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "tests", "NeoWorker.IntegrationTests", "Readme", "ReadmeSnippets.cs"))
            .Select(Normalize).ToList();
        var blocks = CsharpBlock().Matches(readme).Select(m => m.Groups["body"].Value).ToList();
        Assert.NotEmpty(blocks);
        foreach (var block in blocks)
        {
            var from = 0;
            foreach (var line in block.Split('\n').Select(Normalize).Where(l => l.Length > 0))
            {
                var at = compiled.FindIndex(from, l => l == line);
                Assert.True(at >= 0, $"README C# line not found (in order) in ReadmeSnippets.cs, so not compiled: {line}");
                from = at + 1;
            }
        }
    }

    private static string Normalize(string line) => Whitespace().Replace(line.Trim(), " ");

    [GeneratedRegex(@"```csharp\n(?<body>.*?)```", RegexOptions.Singleline)]
    private static partial Regex CsharpBlock();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
