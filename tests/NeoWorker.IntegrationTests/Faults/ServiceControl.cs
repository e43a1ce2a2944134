using System.Diagnostics;
using System.Net.Sockets;
using NeoWorker.IntegrationTests.Infrastructure;
using Npgsql;

namespace NeoWorker.IntegrationTests.Faults;

/// <summary>
/// Stops and starts the local PostgreSQL and RabbitMQ through <c>ops/services.sh stop|start postgres|rabbitmq</c>
/// (this checkout's <c>.local/</c> only), and checks that the endpoints the tests use really went away and came
/// back, so a test can never believe it caused an outage that did not happen.
/// </summary>
internal sealed class ServiceControl(ServiceEndpoints services)
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(120);

    public static string Script => Path.Combine(RepositoryPaths.Root, "ops", "services.sh");

    public (string Host, int Port) PostgresEndpoint
    {
        get
        {
            var builder = new NpgsqlConnectionStringBuilder(services.Postgres);
            return (builder.Host ?? "127.0.0.1", builder.Port);
        }
    }

    public (string Host, int Port) RabbitEndpoint => (services.RabbitHost, services.RabbitPort);

    public Task StopPostgresAsync() => StopAsync("postgres", PostgresEndpoint);

    /// <summary>Starts PostgreSQL again; this process's pooled connections died with the server, so they are dropped.</summary>
    public async Task StartPostgresAsync()
    {
        await StartAsync("postgres", PostgresEndpoint);
        NpgsqlConnection.ClearAllPools();
    }

    public Task StopRabbitMqAsync() => StopAsync("rabbitmq", RabbitEndpoint);

    public Task StartRabbitMqAsync() => StartAsync("rabbitmq", RabbitEndpoint);

    private static async Task StopAsync(string service, (string Host, int Port) endpoint)
    {
        await RunAsync("stop", service);
        if (await AnswersAsync(endpoint))
        {
            throw new InvalidOperationException(
                $"ops/services.sh stopped {service}, yet {endpoint.Host}:{endpoint.Port} still answers: the tests' services are not "
                + "this checkout's .local/ ones (run the fault tests through ops/test.sh, with the same NEOWORKER_*_PORT settings).");
        }
    }

    private static async Task StartAsync(string service, (string Host, int Port) endpoint)
    {
        await RunAsync("start", service);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await AnswersAsync(endpoint))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{service} was started but {endpoint.Host}:{endpoint.Port} does not answer.");
            }

            await Task.Delay(100);
        }
    }

    private static async Task RunAsync(string action, string service)
    {
        var startInfo = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(Script);
        startInfo.ArgumentList.Add(action);
        startInfo.ArgumentList.Add(service);
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("Could not start bash.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(CommandTimeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"ops/services.sh {action} {service} did not finish within {CommandTimeout}.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"ops/services.sh {action} {service} exited with {process.ExitCode}:\n{await stdout}\n{await stderr}");
        }
    }

    private static async Task<bool> AnswersAsync((string Host, int Port) endpoint)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(endpoint.Host, endpoint.Port).WaitAsync(TimeSpan.FromSeconds(2));
            return true;
        }
        catch (Exception ex) when (ex is SocketException or TimeoutException)
        {
            return false;
        }
    }
}
