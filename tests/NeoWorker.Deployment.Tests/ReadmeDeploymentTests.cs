using System.Text.RegularExpressions;
using NeoWorker.Deployment.Tests.Infrastructure;

namespace NeoWorker.Deployment.Tests;

/// <summary>
/// The README says what the deployment files do: its Containers section names the same variables, paths and
/// ports as docker-compose.yml, the Dockerfiles and .env.example, and every shell block in it is either run by
/// ops/test.sh (marked "checked") or says why not.
/// </summary>
public sealed partial class ReadmeDeploymentTests
{
    private static readonly string Readme = Repository.Read("README.md");
    private static readonly string Compose = Repository.Read("docker-compose.yml");
    private static readonly string EnvExample = Repository.Read(".env.example");
    private static readonly string Dockerfiles = string.Join('\n',
        Repository.Read("docker/Dockerfile.api"), Repository.Read("docker/Dockerfile.worker"), Repository.Read("docker/occlum/Dockerfile"));

    private static string Containers
    {
        get
        {
            var start = Readme.IndexOf("\n## Containers", StringComparison.Ordinal);
            return Readme[start..Readme.IndexOf("\n## ", start + 5, StringComparison.Ordinal)];
        }
    }

    [Fact]
    public void Every_env_example_variable_is_explained_in_the_readme()
    {
        var variables = EnvVariable().Matches(EnvExample).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(variables);
        var missing = variables.Where(v => !Containers.Contains($"`{v}`", StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, "README.md, Containers, does not explain: " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_variable_the_readme_names_for_compose_exists()
    {
        var unknown = ComposeVariable().Matches(Containers).Select(m => m.Value).Distinct()
            .Where(v => !EnvExample.Contains(v + "=", StringComparison.Ordinal) && !Compose.Contains(v, StringComparison.Ordinal))
            .ToList();
        Assert.True(unknown.Count == 0, "README.md, Containers, names variables neither .env.example nor docker-compose.yml has: " + string.Join(", ", unknown));
    }

    [Fact]
    public void Every_container_path_the_readme_names_is_in_compose_or_a_dockerfile()
    {
        var paths = ContainerPath().Matches(Containers).Select(m => m.Value.TrimEnd('.', ',')).Distinct().ToList();
        Assert.NotEmpty(paths);
        var unknown = paths.Where(p => !Compose.Contains(p, StringComparison.Ordinal) && !Dockerfiles.Contains(p, StringComparison.Ordinal)).ToList();
        Assert.True(unknown.Count == 0, "README.md, Containers, names paths no compose file or Dockerfile has: " + string.Join(", ", unknown));
    }

    [Theory]
    [InlineData("8080")] // the API
    [InlineData("8081")] // the worker's management port
    [InlineData("15672")] // the broker's management UI
    public void The_ports_the_readme_names_are_the_deployment_files_ports(string port)
    {
        Assert.Contains(port, Containers, StringComparison.Ordinal);
        Assert.True(Compose.Contains(port, StringComparison.Ordinal) || Dockerfiles.Contains(port, StringComparison.Ordinal),
            $"port {port} is in the README but in no compose file or Dockerfile");
    }

    [Fact]
    public void Every_shell_block_is_checked_or_says_why_not()
    {
        var lines = Readme.Split('\n');
        var unmarked = new List<int>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("```bash", StringComparison.Ordinal))
            {
                continue;
            }

            var previous = lines.Take(i).LastOrDefault(l => l.Trim().Length > 0) ?? "";
            if (!previous.StartsWith("<!-- checked", StringComparison.Ordinal) && !previous.StartsWith("<!-- not checked", StringComparison.Ordinal))
            {
                unmarked.Add(i + 1);
            }
        }

        Assert.True(unmarked.Count == 0, "README.md shell blocks without <!-- checked … --> (ops/test.sh runs them) or <!-- not checked: why -->, "
            + "at lines: " + string.Join(", ", unmarked));
    }

    [GeneratedRegex(@"^([A-Z][A-Z0-9_]+)=", RegexOptions.Multiline)]
    private static partial Regex EnvVariable();

    [GeneratedRegex(@"\b(?:NEOWORKER|POSTGRES|RABBITMQ)_[A-Z0-9_]+\b")]
    private static partial Regex ComposeVariable();

    [GeneratedRegex(@"(?<![\w.:])/(?:app|opt|var|run)/[A-Za-z0-9_./-]+")]
    private static partial Regex ContainerPath();
}
