using System.Text;

namespace NeoWorker.IntegrationTests.Infrastructure;

/// <summary>
/// Keeps a copy of everything written to the console (where the in-process API's Serilog sink
/// writes), so tests can assert what the API logged, while still passing it through.
/// </summary>
internal sealed class ConsoleCapture : TextWriter
{
    private readonly TextWriter _inner;
    private readonly StringBuilder _copy = new();
    private readonly Lock _lock = new();

    private ConsoleCapture(TextWriter inner) => _inner = inner;

    public override Encoding Encoding => _inner.Encoding;

    public string Text
    {
        get
        {
            lock (_lock)
            {
                return _copy.ToString();
            }
        }
    }

    public static ConsoleCapture Install()
    {
        var capture = new ConsoleCapture(Console.Out);
        Console.SetOut(capture);
        return capture;
    }

    public override void Write(char value)
    {
        lock (_lock)
        {
            _copy.Append(value);
            _inner.Write(value);
        }
    }

    public override void Write(string? value)
    {
        lock (_lock)
        {
            _copy.Append(value);
            _inner.Write(value);
        }
    }

    public override void Flush() => _inner.Flush();
}
