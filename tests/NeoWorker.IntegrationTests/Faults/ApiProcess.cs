using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using NeoWorker.IntegrationTests.Infrastructure;

namespace NeoWorker.IntegrationTests.Faults;

/// <summary>The API as its own process on a free local port, as deployed (not in the test process).</summary>
internal sealed class ApiProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ApiProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public string Output => string.Join('\n', _output);

    public static async Task<ApiProcess> StartAsync(IReadOnlyDictionary<string, string> environment, TimeSpan startTimeout)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name ?? "Debug";
        var assembly = Path.Combine(RepositoryPaths.Root, "src", "NeoWorker.Api", "bin", configuration, "net10.0", "NeoWorker.Api.dll");
        if (!File.Exists(assembly))
        {
            throw new InvalidOperationException($"The API is not built at {assembly}; build NeoWorker.sln first (ops/test.sh does).");
        }

        var baseAddress = new Uri($"http://127.0.0.1:{FreePort()}");
        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(assembly);
        startInfo.ArgumentList.Add("--urls");
        startInfo.ArgumentList.Add(baseAddress.ToString());
        foreach (var (key, value) in environment)
        {
            startInfo.Environment[key] = value;
        }

        var api = new ApiProcess(new Process { StartInfo = startInfo }, baseAddress);
        api._process.OutputDataReceived += (_, e) => api.Collect(e.Data);
        api._process.ErrorDataReceived += (_, e) => api.Collect(e.Data);
        api._process.Start();
        api._process.BeginOutputReadLine();
        api._process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + startTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (api._process.HasExited)
            {
                throw new InvalidOperationException("The API exited during start-up:\n" + api.Output);
            }

            try
            {
                if ((await http.GetAsync("/health/live").ConfigureAwait(false)).StatusCode == HttpStatusCode.OK)
                {
                    return api;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }

            await Task.Delay(200).ConfigureAwait(false);
        }

        await api.DisposeAsync().ConfigureAwait(false);
        throw new InvalidOperationException($"The API did not answer /health/live within {startTimeout}:\n" + api.Output);
    }

    private void Collect(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }

        _process.Dispose();
    }
}
