using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace NeoWorker.Enclave.Tests;

/// <summary>Keeps every line the enclave logs (runner stderr included), and writes it to the current test's output if there is one.</summary>
internal sealed class CapturingLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<string> _lines = new();

    /// <summary>Where lines go as well; a shared fixture points it at the running test.</summary>
    public ITestOutputHelper? Output { get; set; }

    public IReadOnlyList<string> Lines => [.. _lines];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var line = $"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel}: {formatter(state, exception)}";
        _lines.Enqueue(line);
        try
        {
            Output?.WriteLine(exception is null ? line : $"{line}{Environment.NewLine}{exception}");
        }
        catch (InvalidOperationException)
        {
            // The test that started the runner has ended.
        }
    }
}
