using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace NeoWorker.IntegrationTests.Infrastructure;

/// <summary>
/// A queue bound to every exchange of the test vhost (listed through the management API), keeping a
/// copy of every message body that passes, so a test can prove what never travelled through RabbitMQ.
/// </summary>
internal sealed class SpyQueue : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _bodies = new();
    private IConnection? _connection;
    private IChannel? _channel;

    public int ExchangeCount { get; private set; }

    public IReadOnlyCollection<string> Bodies => _bodies;

    public static async Task<SpyQueue> StartAsync(ServiceEndpoints services)
    {
        var spy = new SpyQueue();
        var exchanges = await ListExchangesAsync(services);
        var factory = services.CreateConnectionFactory();
        spy._connection = await factory.CreateConnectionAsync();
        spy._channel = await spy._connection.CreateChannelAsync();
        var queue = await spy._channel.QueueDeclareAsync($"neoworker-spy-{Guid.NewGuid():N}", durable: false, exclusive: true, autoDelete: true);
        foreach (var exchange in exchanges)
        {
            await spy._channel.QueueBindAsync(queue.QueueName, exchange, routingKey: "#");
        }

        spy.ExchangeCount = exchanges.Count;
        var consumer = new AsyncEventingBasicConsumer(spy._channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            spy._bodies.Enqueue(Encoding.UTF8.GetString(delivery.Body.Span));
            return Task.CompletedTask;
        };
        await spy._channel.BasicConsumeAsync(queue.QueueName, autoAck: true, consumer);
        return spy;
    }

    private static async Task<List<string>> ListExchangesAsync(ServiceEndpoints services)
    {
        var managementUrl = Environment.GetEnvironmentVariable("NEOWORKER_RABBITMQ_MANAGEMENT_URL")
            ?? throw new InvalidOperationException("NEOWORKER_RABBITMQ_MANAGEMENT_URL is not set; run the tests through ops/test.sh.");
        using var http = new HttpClient { BaseAddress = new Uri(managementUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{services.RabbitUsername}:{services.RabbitPassword}")));
        var json = JsonNode.Parse(await http.GetStringAsync($"/api/exchanges/{Uri.EscapeDataString(services.RabbitVirtualHost)}?columns=name"))!;
        return json.AsArray()
            .Select(e => (string?)e!["name"])
            .Where(name => !string.IsNullOrEmpty(name) && !name.StartsWith("amq.", StringComparison.Ordinal))
            .Select(name => name!)
            .ToList();
    }

    public async ValueTask DisposeAsync()
    {
        if (_channel is not null)
        {
            await _channel.CloseAsync();
        }

        if (_connection is not null)
        {
            await _connection.CloseAsync();
        }
    }
}
