namespace NeoWorker.Benchmarks.Messaging;

// The ceiling's private messages: the same payload as ExecuteJavaScript and its completion event,
// on their own exchanges and queue, so NeoWorker's queues never see them.

/// <summary>Command of the no-op round trip; consumed by <see cref="BenchmarkBus"/>'s ceiling endpoint.</summary>
public sealed record CeilingCommand(
    Guid RunId,
    Guid JobId,
    string Code,
    string? Input,
    string FunctionId,
    string UserId,
    DateTimeOffset RequestedAt);

/// <summary>Event the ceiling consumer publishes for each command, and nothing else.</summary>
public sealed record CeilingCompleted(
    Guid RunId,
    Guid JobId,
    string FunctionId,
    string UserId,
    string Status,
    string? Result,
    DateTimeOffset CompletedAt);
