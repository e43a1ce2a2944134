using System.Diagnostics;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace NeoWorker.Benchmarks.Measurement;

/// <summary>What the figures were measured on.</summary>
internal sealed record MachineInfo(
    string Cpu,
    int Cores,
    double MemoryGiB,
    string Os,
    string Kernel,
    string Dotnet,
    string? Node,
    string? PostgreSql,
    string? RabbitMq,
    string MassTransit,
    int Enclaves,
    string LoadAverageAtStart)
{
    public static async Task<MachineInfo> CollectAsync(BenchmarkOptions options, NpgsqlDataSource db, int enclaves, CancellationToken cancellationToken)
    {
        string Read(string path, Func<string, string?> pick)
        {
            try
            {
                return File.ReadLines(path).Select(pick).FirstOrDefault(v => v is not null) ?? "unknown";
            }
            catch (IOException)
            {
                return "unknown";
            }
        }

        var cpu = Read("/proc/cpuinfo", l => l.StartsWith("model name", StringComparison.Ordinal) ? l[(l.IndexOf(':') + 1)..].Trim() : null);
        var memory = Read("/proc/meminfo", l => l.StartsWith("MemTotal:", StringComparison.Ordinal) ? l[9..].Trim().TrimEnd('B', 'k').Trim() : null);
        var os = Read("/etc/os-release", l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal) ? l[12..].Trim('"') : null);
        var kernel = Read("/proc/sys/kernel/osrelease", l => l);
        var load = Read("/proc/loadavg", l => string.Join(' ', l.Split(' ').Take(3)));

        return new MachineInfo(
            cpu,
            Environment.ProcessorCount,
            double.TryParse(memory, System.Globalization.CultureInfo.InvariantCulture, out var kb) ? Math.Round(kb / 1024 / 1024, 1) : 0,
            os,
            kernel,
            RuntimeInformation.FrameworkDescription,
            await NodeVersionAsync(options, cancellationToken).ConfigureAwait(false),
            await PostgresVersionAsync(db, cancellationToken).ConfigureAwait(false),
            await RabbitMqVersionAsync(options, cancellationToken).ConfigureAwait(false),
            typeof(MassTransit.IBus).Assembly.GetName().Version?.ToString(3) ?? "unknown",
            enclaves,
            load);
    }

    private static async Task<string?> NodeVersionAsync(BenchmarkOptions options, CancellationToken cancellationToken)
    {
        try
        {
            using var node = Process.Start(new ProcessStartInfo(options.NodePath, "--version") { RedirectStandardOutput = true, UseShellExecute = false });
            if (node is null)
            {
                return null;
            }

            var version = await node.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            await node.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            return version.Trim();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static async Task<string?> PostgresVersionAsync(NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = db.CreateCommand("SHOW server_version");
            return (string?)await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException)
        {
            return null;
        }
    }

    /// <summary>From the management API when its URL is known; null otherwise.</summary>
    private static async Task<string?> RabbitMqVersionAsync(BenchmarkOptions options, CancellationToken cancellationToken)
    {
        if (options.RabbitManagementUrl is null)
        {
            return null;
        }

        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.RabbitUsername}:{options.RabbitPassword}")));
            await using var body = await http.GetStreamAsync(new Uri($"{options.RabbitManagementUrl.TrimEnd('/')}/api/overview"), cancellationToken).ConfigureAwait(false);
            using var json = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
            return json.RootElement.TryGetProperty("rabbitmq_version", out var version) ? version.GetString() : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
        {
            return null;
        }
    }
}
