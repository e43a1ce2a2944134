using System.Text.RegularExpressions;
using NeoWorker.Deployment.Tests.Infrastructure;

namespace NeoWorker.Deployment.Tests;

/// <summary>The Dockerfiles against each other, the compose file and the applications' routes and paths.</summary>
public sealed partial class DockerfileTests
{
    private readonly ComposeFile _compose = ComposeFile.Load();
    private readonly Dockerfile _api = Dockerfile.Load(Repository.ApiDockerfile);
    private readonly Dockerfile _worker = Dockerfile.Load(Repository.WorkerDockerfile);
    private readonly Dockerfile _occlum = Dockerfile.Load(Repository.OcclumDockerfile);

    public static TheoryData<string> Dockerfiles => ["docker/Dockerfile.api", "docker/Dockerfile.worker", "docker/occlum/Dockerfile"];

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void Every_source_project_is_copied_before_the_restore(string path)
    {
        var dockerfile = Dockerfile.Load(Repository.File(path.Split('/')));
        var build = dockerfile.Instructions.First(i => i.Keyword == "RUN" && i.Arguments.Contains("dotnet restore", StringComparison.Ordinal));
        var copiedBeforeRestore = dockerfile.Instructions
            .TakeWhile(i => i != build)
            .Where(i => i.Stage == build.Stage && i.Keyword == "COPY")
            .SelectMany(i => i.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToHashSet(StringComparer.Ordinal);
        var projects = Directory.GetFiles(Repository.File("src"), "*.csproj", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(Repository.Root, p).Replace('\\', '/'));

        Assert.All(projects, project => Assert.Contains(project, copiedBeforeRestore));
        Assert.Contains("Directory.Packages.props", copiedBeforeRestore);
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void Every_file_a_dockerfile_copies_from_the_repository_exists_and_is_not_docker_ignored(string path)
    {
        var dockerfile = Dockerfile.Load(Repository.File(path.Split('/')));
        var ignored = File.ReadAllLines(Repository.File(".dockerignore"))
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#') && !l.StartsWith('!'))
            .Select(l => l.TrimStart('*', '/').TrimEnd('/'))
            .ToList();

        foreach (var stage in dockerfile.Instructions.Select(i => i.Stage).Distinct())
        {
            foreach (var copy in dockerfile.Copies(stage).Where(c => c.From is null))
            {
                foreach (var source in copy.Sources)
                {
                    Assert.True(File.Exists(Repository.File(source)) || Directory.Exists(Repository.File(source)), $"{path}: COPY {source}: no such file");
                    Assert.DoesNotContain(ignored, pattern => source.Split('/').Contains(pattern));
                }
            }
        }
    }

    [Fact]
    public void The_runner_path_the_workers_are_given_is_where_the_worker_image_puts_the_runner()
    {
        var composePath = _compose.Environment("worker")["Tee__EnclavePath"];
        var imagePath = _worker.Environment(_worker.FinalStage)["Tee__EnclavePath"];
        var runnerCopy = Assert.Single(_worker.Copies(_worker.FinalStage), c => c.From == "runner");
        var runnerWorkdir = _worker.InStage("runner").Last(i => i.Keyword == "WORKDIR").Arguments;

        Assert.Equal(composePath, imagePath);
        Assert.Equal(composePath, runnerCopy.Destination);
        Assert.Equal([runnerWorkdir], runnerCopy.Sources);
        // the runner stage copies the entry point (src/index.js) and builds node_modules in place
        Assert.Contains(_worker.Copies("runner"), c => c.Sources.SequenceEqual(["src/NeoWorker.Enclave/runner/src"]) && c.Destination == "./src");
        Assert.True(File.Exists(Path.Combine(Repository.Runner, "src", "index.js")));
    }

    [Fact]
    public void The_occlum_instance_is_where_the_occlum_worker_and_the_tee_defaults_look_for_it()
    {
        var compose = _compose.Environment("worker-occlum");
        var image = _occlum.Environment(_occlum.FinalStage);
        var instance = new NeoWorker.Enclave.Configuration.OcclumOptions().InstanceDir;
        var build = Assert.Single(_occlum.InStage("instance"), i => i.Keyword == "RUN" && i.Arguments.Contains("build_instance.sh", StringComparison.Ordinal));

        Assert.Equal(instance, compose["Tee__Occlum__InstanceDir"]);
        Assert.Equal(instance, compose["Tee__EnclavePath"]);
        Assert.Equal(instance, image["Tee__Occlum__InstanceDir"]);
        Assert.Equal(instance, image["Tee__EnclavePath"]);
        Assert.Contains($"--instance {instance} ", build.Arguments, StringComparison.Ordinal);
        Assert.Contains(_occlum.Copies(_occlum.FinalStage), c => c.From == "instance" && c.Sources.SequenceEqual([instance]) && c.Destination == instance);
        Assert.Equal(compose["Tee__Occlum__TempDir"], image["Tee__Occlum__TempDir"]);
        Assert.Contains(_compose.Mounts("worker-occlum"), m => m.Source.Length == 0 && m.Target == compose["Tee__Occlum__TempDir"]);
    }

    [Fact]
    public void Node_is_at_the_occlum_node_path_inside_the_enclave_image()
    {
        var nodePath = new NeoWorker.Enclave.Configuration.OcclumOptions().NodeJsPath;
        var bom = Repository.Read("docker", "occlum", "neoworker.yaml");

        Assert.Equal(nodePath, _compose.Environment("worker-occlum")["Tee__Occlum__NodeJsPath"]);
        Assert.Equal(nodePath, _occlum.Environment(_occlum.FinalStage)["Tee__Occlum__NodeJsPath"]);
        Assert.Matches($@"- target: {Regex.Escape(Path.GetDirectoryName(nodePath)!)}\s+copy:\s+- files:\s+- @STAGING@/bin/{Path.GetFileName(nodePath)}\s", bom);
        Assert.Matches(@"- target: /\s+copy:\s+- dirs:\s+- @STAGING@/app\s", bom);
    }

    [Fact]
    public void The_api_listens_health_checks_and_publishes_on_one_port()
    {
        var urls = _api.Environment(_api.FinalStage)["ASPNETCORE_URLS"];
        var port = Port().Match(urls).Groups["port"].Value;
        var published = Assert.Single(_compose.List("api", "ports"));

        Assert.Equal(urls, _compose.Environment("api")["ASPNETCORE_URLS"]);
        Assert.Contains(_api.Final("EXPOSE"), e => e.Arguments == port);
        Assert.EndsWith(":" + port, published, StringComparison.Ordinal);
        Assert.Contains($"/dev/tcp/127.0.0.1/{port} ", Assert.Single(_api.Final("HEALTHCHECK")).Arguments, StringComparison.Ordinal);
        Assert.Contains($"/dev/tcp/127.0.0.1/{port} ", string.Join(' ', HealthTest("api")), StringComparison.Ordinal);
    }

    [Fact]
    public void Health_checks_ask_routes_the_api_maps()
    {
        var routes = HealthRoute().Matches(Repository.Read("src", "NeoWorker.ServiceDefaults", "Observability", "HealthEndpoints.cs"))
            .Select(m => m.Groups["route"].Value)
            .ToHashSet(StringComparer.Ordinal);
        var imageCheck = HealthPath().Match(Assert.Single(_api.Final("HEALTHCHECK")).Arguments).Groups["path"].Value;
        var composeCheck = HealthPath().Match(string.Join(' ', HealthTest("api"))).Groups["path"].Value;

        Assert.Contains("/health/live", routes);
        Assert.Contains("/health/ready", routes);
        Assert.Equal("/health/live", imageCheck);
        Assert.Equal("/health/ready", composeCheck);
    }

    [Fact]
    public void The_worker_images_check_their_health_with_the_script_they_contain()
    {
        foreach (var (dockerfile, service) in new[] { (_worker, "worker"), (_occlum, "worker-occlum") })
        {
            var script = Assert.Single(dockerfile.Copies(dockerfile.FinalStage), c => c.Sources.SequenceEqual(["docker/healthcheck-worker.sh"])).Destination;
            Assert.Contains(script, Assert.Single(dockerfile.Final("HEALTHCHECK")).Arguments, StringComparison.Ordinal);
            Assert.Equal(["CMD", script], HealthTest(service));
        }

        // the script asks the worker's readiness on the management port both images listen on
        var check = Repository.Read("docker", "healthcheck-worker.sh");
        Assert.Contains("GET /health/ready", check, StringComparison.Ordinal);
        Assert.Contains("NEOWORKER_HEALTH_PORT:-8081", check, StringComparison.Ordinal);
        foreach (var dockerfile in new[] { _worker, _occlum })
        {
            Assert.Contains("Urls=http://+:8081", Assert.Single(dockerfile.Final("ENV")).Arguments, StringComparison.Ordinal);
            Assert.Equal("8081", Assert.Single(dockerfile.Final("EXPOSE")).Arguments);
        }

        Assert.Contains("NeoWorker.Worker.dll", Assert.Single(_worker.Final("ENTRYPOINT")).Arguments, StringComparison.Ordinal);
        Assert.Contains("/app/worker/NeoWorker.Worker", Assert.Single(_occlum.Final("CMD")).Arguments, StringComparison.Ordinal);
    }

    [Fact]
    public void The_api_and_the_simulation_worker_run_as_a_non_root_user_on_a_read_only_root()
    {
        foreach (var (dockerfile, service) in new[] { (_api, "api"), (_worker, "worker") })
        {
            Assert.Equal("$APP_UID", Assert.Single(dockerfile.Final("USER")).Arguments);
            Assert.Equal("true", _compose.Service(service)["read_only"]);
            Assert.Contains("/tmp", _compose.List(service, "tmpfs"));
            Assert.Equal(["ALL"], _compose.List(service, "cap_drop"));
            Assert.Contains("no-new-privileges:true", _compose.List(service, "security_opt"));
        }
    }

    [Fact]
    public void The_worker_image_carries_node_20_and_builds_isolated_vm_from_source_for_it()
    {
        var nodeImages = _worker.Instructions.Where(i => i.Keyword == "ARG" && i.Arguments.StartsWith("NODE_IMAGE=", StringComparison.Ordinal)).ToList();

        Assert.Equal("NODE_IMAGE=node:20-bookworm-slim", Assert.Single(nodeImages).Arguments);
        Assert.Contains(_worker.Copies(_worker.FinalStage), c => c.From == "node" && c.Sources.SequenceEqual(["/usr/local/bin/node"]));
        Assert.Equal("/usr/local/bin/node", _worker.Environment(_worker.FinalStage)["Tee__Simulation__NodePath"]);
        foreach (var dockerfile in new[] { _worker, _occlum })
        {
            var install = Assert.Single(dockerfile.InStage("runner"), i => i.Keyword == "RUN" && i.Arguments.Contains("npm ci", StringComparison.Ordinal));
            Assert.Contains("npm_config_build_from_source=true", install.Arguments, StringComparison.Ordinal);
            Assert.Contains("require('isolated-vm')", install.Arguments, StringComparison.Ordinal);
        }
    }

    private IReadOnlyList<string> HealthTest(string service) =>
        _compose.Map(service, "healthcheck").GetValueOrDefault("test") is List<object?> test
            ? test.Select(t => (string)t!).ToList()
            : throw new InvalidOperationException($"{service} has no healthcheck test list");

    [GeneratedRegex(@"://[^:/]+:(?<port>\d+)")]
    private static partial Regex Port();

    [GeneratedRegex(@"MapHealthChecks\(""(?<route>/[^""]+)""")]
    private static partial Regex HealthRoute();

    [GeneratedRegex(@"GET (?<path>/\S+) HTTP")]
    private static partial Regex HealthPath();
}
