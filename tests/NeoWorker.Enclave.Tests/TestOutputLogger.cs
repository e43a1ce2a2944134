using Microsoft.Extensions.Logging;

namespace NeoWorker.Enclave.Tests;

/// <summary>Writes the enclave's log (runner stderr included) to the test's output.</summary>
internal sealed class TestOutputLogger<T>(ITestOutputHelper output) : ILogger<T>
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var line = $"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel}: {formatter(state, exception)}";
        try
        {
            output.WriteLine(exception is null ? line : $"{line}{Environment.NewLine}{exception}");
        }
        catch (InvalidOperationException)
        {
            // A runner's stderr can outlive the test that started it; there is nowhere left to write.
        }
    }
}
