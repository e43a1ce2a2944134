using System.Text;
using NeoWorker.IntegrationTests.Infrastructure;
using RabbitMQ.Client;

namespace NeoWorker.IntegrationTests.Faults;

/// <summary>Plain AMQP on the test vhost: raw publishes (messages MassTransit would never send) and looks into queues.</summary>
internal sealed class RabbitQueues(ServiceEndpoints services)
{
    public const string CommandQueue = "execute-javascript";
    public const string ErrorQueue = "execute-javascript_error";
    public const string SkippedQueue = "execute-javascript_skipped";

    private async Task<T> WithChannelAsync<T>(Func<IChannel, Task<T>> action)
    {
        var factory = services.CreateConnectionFactory();
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        return await action(channel);
    }

    /// <summary>Number of ready messages, 0 when the queue does not exist.</summary>
    public Task<uint> CountAsync(string queue) => WithChannelAsync(async channel =>
    {
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return 0u;
        }
    });

    public async Task PurgeAsync(string queue)
    {
        if (await ExistsAsync(queue))
        {
            await WithChannelAsync(async channel => await channel.QueuePurgeAsync(queue));
        }
    }

    public Task<bool> ExistsAsync(string queue) => WithChannelAsync(async channel =>
    {
        try
        {
            await channel.QueueDeclarePassiveAsync(queue);
            return true;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return false;
        }
    });

    /// <summary>Removes a queue and the exchange MassTransit made for it.</summary>
    public Task DeleteEndpointAsync(string queue) => WithChannelAsync(async channel =>
    {
        await channel.QueueDeleteAsync(queue);
        await channel.ExchangeDeleteAsync(queue);
        return true;
    });

    /// <summary>Publishes a body as is to the command queue's exchange (a broken or foreign publisher).</summary>
    public Task PublishRawAsync(byte[] body, string contentType = "application/vnd.masstransit+json") => WithChannelAsync(async channel =>
    {
        var properties = new BasicProperties
        {
            ContentType = contentType,
            Persistent = true,
            MessageId = Guid.NewGuid().ToString(),
        };
        await channel.BasicPublishAsync(CommandQueue, routingKey: "", mandatory: false, properties, body);
        return true;
    });

    /// <summary>
    /// Reads up to <paramref name="max"/> messages without removing them (they are returned when the channel
    /// closes): their headers as text and the first bytes of their bodies.
    /// </summary>
    public Task<IReadOnlyList<QueuedMessage>> PeekAsync(string queue, int max, int bodyPrefixBytes = 4096) => WithChannelAsync(async channel =>
    {
        var messages = new List<QueuedMessage>();
        while (messages.Count < max && await channel.BasicGetAsync(queue, autoAck: false) is { } got)
        {
            var headers = (got.BasicProperties.Headers ?? new Dictionary<string, object?>())
                .ToDictionary(h => h.Key, h => h.Value switch
                {
                    byte[] bytes => Encoding.UTF8.GetString(bytes),
                    null => "",
                    var other => other.ToString() ?? "",
                });
            var body = got.Body.Span;
            messages.Add(new QueuedMessage(headers, body.Length, Encoding.UTF8.GetString(body[..Math.Min(body.Length, bodyPrefixBytes)])));
        }

        return (IReadOnlyList<QueuedMessage>)messages;
    });
}
