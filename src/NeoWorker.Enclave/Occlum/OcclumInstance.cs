using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace NeoWorker.Enclave.Occlum;

/// <summary>
/// What the host knows about an Occlum instance directory (as <c>occlum new</c> + <c>occlum build</c>
/// leave it, see docker/occlum/build_instance.sh): the file layout, the limits in its Occlum.json,
/// the SGX mode it was built for, and a stamp that changes whenever the built template does.
/// </summary>
internal static class OcclumInstance
{
    public const string ConfigFile = "Occlum.json";

    /// <summary>Written by <c>occlum build</c>: HW or SIM.</summary>
    public const string SgxModeFile = ".sgx_mode";

    public const string ImageDirectory = "image";

    public const string BuildDirectory = "build";

    /// <summary>The runner's entry point inside the image (build_instance.sh puts the runner at /app).</summary>
    public const string RunnerEntryPoint = "/app/src/index.js";

    /// <summary>A host path inside the instance's image for an absolute enclave path such as <c>/bin/node</c>.</summary>
    public static string ImagePath(string instanceDirectory, string enclavePath) =>
        Path.Combine(instanceDirectory, ImageDirectory, enclavePath.TrimStart('/'));

    /// <summary>The SGX mode the instance was built for (HW, SIM), or null when it was never built.</summary>
    public static string? SgxMode(string instanceDirectory)
    {
        var file = Path.Combine(instanceDirectory, SgxModeFile);
        return File.Exists(file) ? File.ReadAllText(file).Trim() : null;
    }

    /// <summary>
    /// The <c>occlum</c> executable: <paramref name="occlumPath"/> itself when it names a path, else the
    /// first executable of that name on this process's PATH; null when there is none.
    /// </summary>
    public static string? ResolveTool(string occlumPath)
    {
        if (string.IsNullOrWhiteSpace(occlumPath))
        {
            return null;
        }

        if (occlumPath.Contains('/', StringComparison.Ordinal))
        {
            var full = Path.GetFullPath(occlumPath);
            return IsExecutable(full) ? full : null;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, occlumPath);
            if (IsExecutable(candidate))
            {
                return Path.GetFullPath(candidate);
            }
        }

        return null;
    }

    private static bool IsExecutable(string file) =>
        File.Exists(file)
        && (OperatingSystem.IsWindows()
            || (File.GetUnixFileMode(file) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0);

    /// <summary>The limits of an Occlum.json that the Tee section also sets; null fields are absent or unreadable.</summary>
    public sealed record Limits(long? UserSpaceMB, int? MaxThreads, bool? Debuggable);

    /// <summary>Reads the limits of <c>Occlum.json</c>; throws <see cref="JsonException"/> when it is not JSON.</summary>
    public static Limits ReadLimits(string instanceDirectory)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(instanceDirectory, ConfigFile)),
            new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var root = document.RootElement;
        long? userSpace = null;
        int? threads = null;
        bool? debuggable = null;
        if (root.TryGetProperty("resource_limits", out var limits) && limits.ValueKind == JsonValueKind.Object)
        {
            if (limits.TryGetProperty("user_space_size", out var size) && size.ValueKind == JsonValueKind.String)
            {
                userSpace = ParseMegabytes(size.GetString());
            }

            if (limits.TryGetProperty("max_num_of_threads", out var count) && count.ValueKind == JsonValueKind.Number
                && count.TryGetInt32(out var value))
            {
                threads = value;
            }
        }

        if (root.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
            && metadata.TryGetProperty("debuggable", out var debug) && debug.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            debuggable = debug.GetBoolean();
        }

        return new Limits(userSpace, threads, debuggable);
    }

    /// <summary>The measured variable of instances whose runner asks for the sealing key (build_instance.sh, HW instances).</summary>
    public const string KeyReleaseVariable = "NEOWORKER_KEY_RELEASE=request";

    /// <summary>Occlum.json's <c>env.default</c> (the measured environment); throws <see cref="JsonException"/> when it is not JSON.</summary>
    public static IReadOnlyList<string> ReadDefaultEnvironment(string instanceDirectory)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(instanceDirectory, ConfigFile)),
            new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        if (document.RootElement.TryGetProperty("env", out var env) && env.ValueKind == JsonValueKind.Object
            && env.TryGetProperty("default", out var defaults) && defaults.ValueKind == JsonValueKind.Array)
        {
            return [.. defaults.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)];
        }

        return [];
    }

    /// <summary>Occlum's size strings ("1024MB", "1GB", "512KB") in MB; null when unreadable.</summary>
    internal static long? ParseMegabytes(string? size)
    {
        if (string.IsNullOrWhiteSpace(size))
        {
            return null;
        }

        var text = size.Trim().ToUpperInvariant();
        (string Suffix, double Factor)[] units = [("GB", 1024), ("MB", 1), ("KB", 1.0 / 1024), ("G", 1024), ("M", 1), ("K", 1.0 / 1024)];
        foreach (var (suffix, factor) in units)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal)
                && double.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                return (long)Math.Round(number * factor);
            }
        }

        return null;
    }

    /// <summary>
    /// A fingerprint of the built template: Occlum.json and the SGX mode byte for byte, and the name, size,
    /// modification time and link target of everything under image/ and build/ (the program files and
    /// the signed enclave). A rebuild changes it; reading it costs a directory walk, not a hash of the files.
    /// </summary>
    public static string Stamp(string instanceDirectory)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text) => hash.AppendData(Encoding.UTF8.GetBytes(text + "\n"));

        Add(Path.GetFullPath(instanceDirectory));
        hash.AppendData(File.ReadAllBytes(Path.Combine(instanceDirectory, ConfigFile)));
        Add(SgxMode(instanceDirectory) ?? "-");
        foreach (var tree in new[] { ImageDirectory, BuildDirectory })
        {
            var root = new DirectoryInfo(Path.Combine(instanceDirectory, tree));
            if (!root.Exists)
            {
                Add($"{tree}: none");
                continue;
            }

            var entries = new List<string>();
            Walk(root, tree, entries);
            entries.Sort(StringComparer.Ordinal);
            foreach (var entry in entries)
            {
                Add(entry);
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static void Walk(DirectoryInfo directory, string relative, List<string> entries)
    {
        foreach (var entry in directory.EnumerateFileSystemInfos())
        {
            var name = $"{relative}/{entry.Name}";
            if (entry.LinkTarget is { } target)
            {
                entries.Add($"{name} -> {target}");
            }
            else if (entry is DirectoryInfo child)
            {
                entries.Add($"{name}/");
                Walk(child, name, entries);
            }
            else if (entry is FileInfo file)
            {
                entries.Add(string.Create(CultureInfo.InvariantCulture, $"{name} {file.Length} {file.LastWriteTimeUtc.Ticks}"));
            }
        }
    }

    /// <summary>
    /// <c>cp -a</c> of a directory tree: files with their mode and modification time, symbolic links as
    /// links (not followed), directories with their mode. Ownership is the copier's, as with cp -a run
    /// by a non-root user; hard links become separate files. The destination must not exist.
    /// </summary>
    public static void CopyTree(string source, string destination)
    {
        var from = new DirectoryInfo(source);
        Directory.CreateDirectory(destination);
        foreach (var entry in from.EnumerateFileSystemInfos())
        {
            var target = Path.Combine(destination, entry.Name);
            if (entry.LinkTarget is { } link)
            {
                if (entry is DirectoryInfo)
                {
                    Directory.CreateSymbolicLink(target, link);
                }
                else
                {
                    File.CreateSymbolicLink(target, link);
                }
            }
            else if (entry is DirectoryInfo child)
            {
                CopyTree(child.FullName, target);
            }
            else
            {
                File.Copy(entry.FullName, target);
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(target, entry.UnixFileMode);
                }

                File.SetLastWriteTimeUtc(target, entry.LastWriteTimeUtc);
            }
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(destination, from.UnixFileMode);
        }

        Directory.SetLastWriteTimeUtc(destination, from.LastWriteTimeUtc);
    }
}
