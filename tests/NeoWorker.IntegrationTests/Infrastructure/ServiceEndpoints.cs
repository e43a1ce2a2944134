using System.Net.Sockets;
using Npgsql;
using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;

namespace NeoWorker.IntegrationTests.Infrastructure;

/// <summary>
/// Where the real PostgreSQL and RabbitMQ are: the ones ops/test.sh started (from the environment),
/// or, where a Docker engine exists and the environment names none, Testcontainers.
/// </summary>
internal sealed class ServiceEndpoints : IAsyncDisposable
{
    private const string HowToStart =
        "Run the tests through ops/test.sh, which starts local PostgreSQL and RabbitMQ (ops/up.sh) and exports "
        + "ConnectionStrings__Postgres and RabbitMq__Host/Port/Username/Password/VirtualHost; or run them where a Docker engine is available.";

    private readonly List<IAsyncDisposable> _containers = [];

    public required string Postgres { get; init; }

    public required string RabbitHost { get; init; }

    public required int RabbitPort { get; init; }

    public required string RabbitUsername { get; init; }

    public required string RabbitPassword { get; init; }

    public required string RabbitVirtualHost { get; init; }

    /// <summary>A plain AMQP connection factory for the test vhost (raw publishes, spy queues).</summary>
    public RabbitMQ.Client.ConnectionFactory CreateConnectionFactory() => new()
    {
        HostName = RabbitHost,
        Port = RabbitPort,
        UserName = RabbitUsername,
        Password = RabbitPassword,
        VirtualHost = RabbitVirtualHost,
    };

    public IReadOnlyDictionary<string, string> AsEnvironment() => new Dictionary<string, string>
    {
        ["ConnectionStrings__Postgres"] = Postgres,
        ["RabbitMq__Host"] = RabbitHost,
        ["RabbitMq__Port"] = RabbitPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RabbitMq__Username"] = RabbitUsername,
        ["RabbitMq__Password"] = RabbitPassword,
        ["RabbitMq__VirtualHost"] = RabbitVirtualHost,
    };

    public static async Task<ServiceEndpoints> ResolveAsync()
    {
        var postgres = Environment.GetEnvironmentVariable("ConnectionStrings__Postgres");
        var rabbitHost = Environment.GetEnvironmentVariable("RabbitMq__Host");
        ServiceEndpoints endpoints;
        if (!string.IsNullOrEmpty(postgres) && !string.IsNullOrEmpty(rabbitHost))
        {
            endpoints = new ServiceEndpoints
            {
                Postgres = postgres,
                RabbitHost = rabbitHost,
                RabbitPort = int.Parse(Environment.GetEnvironmentVariable("RabbitMq__Port") ?? "5672", System.Globalization.CultureInfo.InvariantCulture),
                RabbitUsername = Environment.GetEnvironmentVariable("RabbitMq__Username") ?? "guest",
                RabbitPassword = Environment.GetEnvironmentVariable("RabbitMq__Password") ?? "guest",
                RabbitVirtualHost = Environment.GetEnvironmentVariable("RabbitMq__VirtualHost") ?? "/",
            };
        }
        else if (DockerEngineLikelyAvailable())
        {
            endpoints = await StartContainersAsync().ConfigureAwait(false);
        }
        else
        {
            throw new InvalidOperationException("No PostgreSQL/RabbitMQ configured and no Docker engine. " + HowToStart);
        }

        await endpoints.CheckReachableAsync().ConfigureAwait(false);
        return endpoints;
    }

    private async Task CheckReachableAsync()
    {
        try
        {
            await using var connection = new NpgsqlConnection(Postgres);
            await connection.OpenAsync().ConfigureAwait(false);
            await using var command = new NpgsqlCommand("SELECT 1 FROM neoworker.jobs LIMIT 1", connection);
            await command.ExecuteScalarAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or PostgresException or SocketException)
        {
            throw new InvalidOperationException($"PostgreSQL is not reachable or not migrated ({ex.Message}). " + HowToStart, ex);
        }

        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(RabbitHost, RabbitPort).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or TimeoutException)
        {
            throw new InvalidOperationException($"RabbitMQ at {RabbitHost}:{RabbitPort} is not reachable ({ex.Message}). " + HowToStart, ex);
        }
    }

    private static bool DockerEngineLikelyAvailable() =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOCKER_HOST")) || File.Exists("/var/run/docker.sock");

    private static async Task<ServiceEndpoints> StartContainersAsync()
    {
        var rabbit = new RabbitMqBuilder("rabbitmq:3.13-management").Build();
        var postgres = new PostgreSqlBuilder("postgres:15").Build();
        await Task.WhenAll(rabbit.StartAsync(), postgres.StartAsync()).ConfigureAwait(false);

        var connectionString = postgres.GetConnectionString();
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync().ConfigureAwait(false);
            await using var migrate = new NpgsqlCommand(await File.ReadAllTextAsync(RepositoryPaths.Migrations).ConfigureAwait(false), connection);
            await migrate.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        var amqp = new Uri(rabbit.GetConnectionString());
        var credentials = amqp.UserInfo.Split(':');
        var endpoints = new ServiceEndpoints
        {
            Postgres = connectionString,
            RabbitHost = amqp.Host,
            RabbitPort = amqp.Port,
            RabbitUsername = Uri.UnescapeDataString(credentials[0]),
            RabbitPassword = Uri.UnescapeDataString(credentials[1]),
            RabbitVirtualHost = "/",
        };
        endpoints._containers.Add(rabbit);
        endpoints._containers.Add(postgres);
        return endpoints;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var container in _containers)
        {
            await container.DisposeAsync().ConfigureAwait(false);
        }
    }
}
