using System.Globalization;

namespace NeoWorker.Benchmarks.Measurement;

/// <summary>One line of /proc/PID/stat: CPU in clock ticks (USER_HZ, 100 a second on Linux).</summary>
internal readonly record struct ProcessTicks(int Pid, int ParentPid, long User, long System, long ChildUser, long ChildSystem)
{
    /// <summary>The process's own CPU plus that of its children it has reaped.</summary>
    public long Total => User + System + ChildUser + ChildSystem;

    public long Own => User + System;
}

/// <summary>Reads /proc: process CPU and RSS, the process tree, and the machine's CPU counters.</summary>
internal static class Proc
{
    /// <summary>Linux reports CPU time in /proc in units of USER_HZ, which is 100 on every architecture.</summary>
    public const double MillisecondsPerTick = 10.0;

    public static Dictionary<int, ProcessTicks> Snapshot()
    {
        var all = new Dictionary<int, ProcessTicks>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && Read(pid) is { } ticks)
            {
                all[pid] = ticks;
            }
        }

        return all;
    }

    public static ProcessTicks? Read(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null; // it ended
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last ')'.
        var close = text.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }

        var fields = text[(close + 2)..].Split(' ');
        // fields[0] is field 3 (state): ppid is field 4, utime..cstime are fields 14..17.
        long F(int field) => long.Parse(fields[field - 3], CultureInfo.InvariantCulture);
        return new ProcessTicks(pid, (int)F(4), F(14), F(15), F(16), F(17));
    }

    /// <summary>The pid and every process below it.</summary>
    public static List<int> Tree(Dictionary<int, ProcessTicks> all, int root)
    {
        var children = all.Values.ToLookup(p => p.ParentPid, p => p.Pid);
        var tree = new List<int>();
        if (!all.ContainsKey(root))
        {
            return tree;
        }

        var stack = new Stack<int>([root]);
        while (stack.Count > 0)
        {
            var pid = stack.Pop();
            tree.Add(pid);
            foreach (var child in children[pid])
            {
                stack.Push(child);
            }
        }

        return tree;
    }

    /// <summary>CPU ticks of a whole tree: live processes plus what they reaped, counted once.</summary>
    public static long TreeTicks(Dictionary<int, ProcessTicks> all, int root) => Tree(all, root).Sum(pid => all[pid].Total);

    /// <summary>Resident set size in KiB (0 when the process is gone).</summary>
    public static long RssKb(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }

        return 0;
    }

    /// <summary>Busy and total ticks of all CPUs (first line of /proc/stat).</summary>
    public static (long Busy, long Total) MachineTicks()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        // user nice system idle iowait irq softirq steal [guest guest_nice, already in user/nice]
        var total = fields.Take(8).Sum();
        var idle = fields[3] + fields[4];
        return (total - idle, total);
    }

    /// <summary>The live pid in a pid file (first line), or null.</summary>
    public static int? ReadPidFile(string path)
    {
        try
        {
            var first = File.ReadLines(path).FirstOrDefault()?.Trim();
            return int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && Directory.Exists($"/proc/{pid}")
                ? pid
                : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (IOException)
        {
            return "";
        }
    }
}
