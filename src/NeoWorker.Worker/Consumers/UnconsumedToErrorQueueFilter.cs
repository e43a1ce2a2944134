using System.Text.Json;
using MassTransit;
using MassTransit.Middleware.Rescue;
using MassTransit.Transports;

namespace NeoWorker.Worker.Consumers;

/// <summary>
/// The dead-letter pipe of the command queue: a message no consumer here takes (another message type,
/// an envelope without one) goes to the <c>_error</c> queue like every other refused message, with the
/// reason in its fault headers and in the log, instead of a <c>_skipped</c> queue nobody watches.
/// </summary>
internal sealed class UnconsumedToErrorQueueFilter(ErrorQueueLogFilter log) : IFilter<ReceiveContext>
{
    public async Task Send(ReceiveContext context, IPipe<ReceiveContext> next)
    {
        var exception = new MessageNotConsumedException(context.InputAddress,
            $"No consumer on this queue takes the message type(s) [{MessageTypes(context)}]; the command queue takes only ExecuteJavaScript.");
        var rejected = new RescueExceptionReceiveContext(context, exception);
        if (!context.TryGetPayload(out IErrorTransport? errorTransport))
        {
            throw new TransportException(context.InputAddress, "The error transport is not available.", exception);
        }

        await log.Send(rejected, Pipe.Empty<ExceptionReceiveContext>()).ConfigureAwait(false);
        await errorTransport.Send(rejected).ConfigureAwait(false);
        await next.Send(context).ConfigureAwait(false);
    }

    /// <summary>The envelope's messageType list (read from the body: the deserializer found no consumer for any of them).</summary>
    private static string MessageTypes(ReceiveContext context)
    {
        if (context.Body.Length is not <= 1024 * 1024)
        {
            return "unknown";
        }

        try
        {
            using var envelope = JsonDocument.Parse(context.Body.GetBytes());
            return envelope.RootElement.ValueKind == JsonValueKind.Object
                && envelope.RootElement.TryGetProperty("messageType", out var types) && types.ValueKind == JsonValueKind.Array
                ? string.Join(", ", types.EnumerateArray().Select(t => t.ToString()).Take(8))
                : "none";
        }
        catch (JsonException)
        {
            return "unknown";
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("neoworker-unconsumed-to-error");
}
