using System.Text.RegularExpressions;
using NeoWorker.Deployment.Tests.Infrastructure;

namespace NeoWorker.Deployment.Tests;

/// <summary>docker-compose.yml against .env.example and against the settings the applications really read.</summary>
public sealed partial class ComposeFileTests
{
    private static readonly string[] AppServices = ["api", "worker", "worker-occlum"];
    private static readonly string[] WorkerServices = ["worker", "worker-occlum"];

    /// <summary>Variables the containers read that are not .NET configuration: the runtime's and the Occlum entrypoint's.</summary>
    private static readonly HashSet<string> ProcessVariables = new(StringComparer.Ordinal)
    {
        "ASPNETCORE_URLS",          // Kestrel's listening address
        "PCCS_URL",                 // docker/occlum/entrypoint.sh → /etc/sgx_default_qcnl.conf
        "USE_SECURE_CERT",          // docker/occlum/entrypoint.sh → /etc/sgx_default_qcnl.conf
    };

    private readonly ComposeFile _compose = ComposeFile.Load();

    [Fact]
    public void Every_variable_the_compose_file_uses_is_in_env_example()
    {
        var documented = EnvExample.Load();

        var missing = Variables(_compose.Text).Select(v => v.Name).Distinct().Where(v => !documented.ContainsKey(v)).ToList();

        Assert.True(missing.Count == 0, "not in .env.example: " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_variable_in_env_example_is_used_by_the_compose_file()
    {
        var used = Variables(_compose.Text).Select(v => v.Name).ToHashSet(StringComparer.Ordinal);

        var unused = EnvExample.Load().Keys.Where(k => !used.Contains(k)).ToList();

        Assert.True(unused.Count == 0, ".env.example names variables docker-compose.yml never reads: " + string.Join(", ", unused));
    }

    [Fact]
    public void Users_and_passwords_come_only_from_required_variables()
    {
        var secrets = Variables(_compose.Text).Where(v => v.Name.EndsWith("_USER", StringComparison.Ordinal) || v.Name.EndsWith("_PASSWORD", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(secrets);
        Assert.All(secrets, v => Assert.True(v.Required, $"${{{v.Name}}} must be written ${{{v.Name}:?message}} so compose stops without it"));
        Assert.DoesNotMatch(LiteralPasswordSetting(), _compose.Text);
        Assert.DoesNotMatch(LiteralConnectionStringPassword(), _compose.Text);
    }

    [Fact]
    public void Every_setting_passed_to_the_api_and_the_workers_is_a_key_the_applications_read()
    {
        foreach (var service in AppServices)
        {
            var unknown = _compose.Environment(service).Keys
                .Where(k => k.Contains("__", StringComparison.Ordinal) ? !ConfigurationKeys.IsKnown(k) : !ProcessVariables.Contains(k))
                .ToList();

            Assert.True(unknown.Count == 0, $"service {service} sets what no options class or appsettings.json knows: {string.Join(", ", unknown)}");
        }
    }

    [Fact]
    public void The_api_and_the_workers_get_the_same_broker_and_database()
    {
        string[] shared = ["ConnectionStrings__Postgres", "RabbitMq__Host", "RabbitMq__Port", "RabbitMq__Username", "RabbitMq__Password", "RabbitMq__VirtualHost"];
        var api = _compose.Environment("api");

        foreach (var worker in WorkerServices)
        {
            var environment = _compose.Environment(worker);
            Assert.All(shared, key => Assert.Equal(api[key], environment[key]));
        }

        Assert.Equal("rabbitmq", api["RabbitMq__Host"]);
        Assert.Contains("Host=postgres;Port=5432;", api["ConnectionStrings__Postgres"], StringComparison.Ordinal);
        Assert.Contains(_compose.List("rabbitmq", "ports"), p => p.EndsWith(":" + api["RabbitMq__Port"], StringComparison.Ordinal));
        Assert.Equal("5432", _compose.Environment("migrate")["PGPORT"]);
        Assert.Equal("postgres", _compose.Environment("migrate")["PGHOST"]);
    }

    [Fact]
    public void Workers_can_be_scaled_out_because_they_have_no_fixed_name_or_host_port()
    {
        foreach (var worker in WorkerServices)
        {
            Assert.DoesNotContain("container_name", _compose.Service(worker).Keys);
            Assert.DoesNotContain("ports", _compose.Service(worker).Keys);
            Assert.True(_compose.Mounts(worker).All(m => m.Source.Length == 0 || m.ReadOnly),
                $"{worker}: a named volume shared by replicas must be read-only");
        }
    }

    [Fact]
    public void Only_the_occlum_worker_belongs_to_a_profile()
    {
        foreach (var (name, _) in _compose.Services)
        {
            var profiles = _compose.List(name, "profiles");
            Assert.Equal(name == "worker-occlum" ? ["occlum"] : [], profiles);
        }
    }

    [Fact]
    public void The_occlum_worker_runs_the_occlum_backend_with_the_sgx_devices()
    {
        var devices = _compose.List("worker-occlum", "devices");
        var environment = _compose.Environment("worker-occlum");

        Assert.Contains(devices, d => d.EndsWith(":/dev/sgx_enclave", StringComparison.Ordinal));
        Assert.Contains(devices, d => d.EndsWith(":/dev/sgx_provision", StringComparison.Ordinal));
        Assert.Equal("Occlum", environment["Tee__Type"]);
        Assert.Equal("Simulation", _compose.Environment("worker")["Tee__Type"]);
        Assert.Equal("true", _compose.Environment("worker")["Tee__AllowSimulation"]);
        // A SIM-built enclave runs only when the operator opts in; never by default.
        Assert.Equal("${NEOWORKER_ALLOW_SIMULATION:-false}", environment["Tee__AllowSimulation"]);
    }

    [Fact]
    public void Every_service_starts_after_what_it_needs()
    {
        Assert.Equal("service_healthy", Condition("migrate", "postgres"));
        foreach (var service in new[] { "api", "worker" })
        {
            Assert.Equal("service_completed_successfully", Condition(service, "migrate"));
            Assert.Equal("service_completed_successfully", Condition(service, "keys"));
            Assert.Equal("service_healthy", Condition(service, "rabbitmq"));
        }

        Assert.Equal("service_completed_successfully", Condition("worker-occlum", "migrate"));
        Assert.Equal("service_healthy", Condition("worker-occlum", "rabbitmq"));
        foreach (var service in new[] { "postgres", "rabbitmq", "api", "worker", "worker-occlum" })
        {
            Assert.True(_compose.Map(service, "healthcheck").ContainsKey("test"), $"{service} has no healthcheck");
        }
    }

    [Fact]
    public void The_migrate_service_applies_the_checked_in_migrations()
    {
        var command = _compose.List("migrate", "command").ToList();
        var mount = Assert.Single(_compose.Mounts("migrate"));

        Assert.Equal("./migrations", mount.Source);
        Assert.True(mount.ReadOnly);
        var script = command[command.IndexOf("-f") + 1];
        Assert.StartsWith(mount.Target + "/", script, StringComparison.Ordinal);
        Assert.True(File.Exists(Repository.File("migrations", Path.GetFileName(script))), $"{script} is not in migrations/");
        Assert.Contains("ON_ERROR_STOP=1", command);
    }

    [Fact]
    public void The_private_sealing_key_reaches_the_workers_and_only_the_public_key_reaches_the_api()
    {
        var workerKey = _compose.Environment("worker")["Tee__Simulation__SealingKeyFiles__0"];
        var apiKey = _compose.Environment("api")["Sealing__PublicKeyFile"];
        var keysArguments = _compose.List("keys", "entrypoint");

        Assert.Contains(_compose.Mounts("worker"), m => m.Source == "sealing-private" && m.Target == Path.GetDirectoryName(workerKey) && m.ReadOnly);
        Assert.Contains(_compose.Mounts("api"), m => m.Source == "sealing-public" && m.Target == Path.GetDirectoryName(apiKey) && m.ReadOnly);
        Assert.DoesNotContain(_compose.Mounts("api"), m => m.Source == "sealing-private");
        Assert.Equal([Path.GetDirectoryName(workerKey), Path.GetDirectoryName(apiKey)], keysArguments.TakeLast(2));
        Assert.Contains(_compose.Mounts("keys"), m => m.Source == "sealing-private" && m.Target == Path.GetDirectoryName(workerKey));
        Assert.Contains(_compose.Mounts("keys"), m => m.Source == "sealing-public" && m.Target == Path.GetDirectoryName(apiKey));
        var script = Repository.Read("docker", "sealing-keys.js");
        Assert.Contains($"'{Path.GetFileName(workerKey)}'", script, StringComparison.Ordinal);
        Assert.Contains($"'{Path.GetFileName(apiKey)}'", script, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_named_volume_is_declared()
    {
        var named = _compose.Services.Keys
            .SelectMany(s => _compose.Mounts(s))
            .Select(m => m.Source)
            .Where(source => source.Length > 0 && !source.StartsWith('.') && !source.StartsWith('/'))
            .Distinct();

        Assert.All(named, volume => Assert.Contains(volume, _compose.Volumes.Keys));
    }

    private string? Condition(string service, string dependency) =>
        _compose.Map(service, "depends_on").GetValueOrDefault(dependency) is Dictionary<string, object?> map
            ? map.GetValueOrDefault("condition") as string
            : null;

    /// <summary>The ${…} references compose interpolates (comment lines are not interpolated).</summary>
    private static IEnumerable<(string Name, bool Required)> Variables(string text) =>
        text.Split('\n')
            .Where(line => !line.TrimStart().StartsWith('#'))
            .SelectMany(line => Variable().Matches(line))
            .Select(m => (m.Groups["name"].Value, m.Groups["op"].Value == ":?"));

    /// <summary>${NAME}, ${NAME:-default}, ${NAME:?message}; not $${…} (escaped for the container's shell).</summary>
    [GeneratedRegex(@"(?<!\$)\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?<op>:?[-?])?[^}]*\}")]
    private static partial Regex Variable();

    /// <summary>A setting such as POSTGRES_PASSWORD or RabbitMq__Password whose value is not a ${…} reference.</summary>
    [GeneratedRegex(@"(?im)^\s*[A-Z_]*PASS[A-Z_]*\s*:\s*(?!\$\{)\S")]
    private static partial Regex LiteralPasswordSetting();

    [GeneratedRegex(@"(?i)Password=(?!\$\{)")]
    private static partial Regex LiteralConnectionStringPassword();
}
