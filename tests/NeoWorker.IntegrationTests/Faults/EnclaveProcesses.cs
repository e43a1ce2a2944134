using System.Globalization;
using NeoWorker.IntegrationTests.Infrastructure;

namespace NeoWorker.IntegrationTests.Faults;

/// <summary>A worker's enclave (runner) processes, found in /proc, and SIGKILL for them.</summary>
internal static class EnclaveProcesses
{
    /// <summary>The worker's enclave processes: its children running the runner.</summary>
    public static List<int> Of(WorkerProcess worker)
    {
        var pids = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces, so read after the last ')'.
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var cmdline = File.ReadAllText(Path.Combine(directory, "cmdline"));
                if (int.Parse(fields[1], CultureInfo.InvariantCulture) == worker.ProcessId && cmdline.Contains("index.js", StringComparison.Ordinal))
                {
                    pids.Add(pid);
                }
            }
            catch (IOException)
            {
                // the process ended while we looked
            }
        }

        Assert.NotEmpty(pids);
        return pids;
    }

    public static void Kill(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            process.Kill();
        }
        catch (ArgumentException)
        {
            // already gone
        }
    }
}
