using System.Diagnostics;
using System.Globalization;

namespace NeoWorker.Enclave.Tests;

/// <summary>
/// The runner processes as the operating system sees them (Linux /proc): the live children of this
/// test process whose environment marks them as the runner of a given enclave slot.
/// </summary>
internal static class RunnerProcesses
{
    /// <summary>Live (not zombie) child processes started for enclave slot <paramref name="slot"/>.</summary>
    public static IReadOnlyList<int> OfSlot(int slot)
    {
        var marker = $"NEOWORKER_ENCLAVE_SLOT={slot.ToString(CultureInfo.InvariantCulture)}";
        var found = new List<int>();
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            if (Stat(pid) is not { } stat || stat.ParentId != Environment.ProcessId || stat.State == 'Z')
            {
                continue;
            }

            if (EnvironmentOf(pid).Contains(marker))
            {
                found.Add(pid);
            }
        }

        return found;
    }

    /// <summary>The environment a process was started with, one <c>NAME=value</c> per entry; empty once it is gone.</summary>
    public static IReadOnlyList<string> EnvironmentOf(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/environ").Split('\0', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>CPU time (user + system) the process used over <paramref name="window"/>, in milliseconds.</summary>
    public static async Task<long> CpuMillisecondsOverAsync(int pid, TimeSpan window)
    {
        var before = CpuTicks(pid);
        await Task.Delay(window);
        return (CpuTicks(pid) - before) * 10; // USER_HZ is 100 on Linux
    }

    /// <summary>True once the process uses less than half a core over 200 ms; false if it does not within <paramref name="timeout"/>.</summary>
    public static async Task<bool> GoesQuietAsync(int pid, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (await CpuMillisecondsOverAsync(pid, TimeSpan.FromMilliseconds(200)) >= 100)
        {
            if (clock.Elapsed > timeout)
            {
                return false;
            }
        }

        return true;
    }

    private static long CpuTicks(int pid)
    {
        var text = File.ReadAllText($"/proc/{pid}/stat");
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    /// <summary>True while the process exists and has not exited (a zombie has exited).</summary>
    public static bool IsRunning(int pid) => Stat(pid) is { State: not 'Z' };

    /// <summary>Sends SIGKILL, as an operator or the kernel's OOM killer would.</summary>
    public static void Kill(int pid)
    {
        using var process = Process.GetProcessById(pid);
        process.Kill();
    }

    /// <summary>Waits until the process no longer exists at all (it has exited and been reaped).</summary>
    public static async Task WaitUntilGoneAsync(int pid, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (Directory.Exists($"/proc/{pid}"))
        {
            Assert.True(clock.Elapsed < timeout, $"Process {pid} still exists after {timeout.TotalSeconds:0} s.");
            await Task.Delay(20);
        }
    }

    private static (char State, int ParentId)? Stat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so parse after the last ')'.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return (fields[0][0], int.Parse(fields[1], CultureInfo.InvariantCulture));
    }
}
