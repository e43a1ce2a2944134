using System.Collections.Concurrent;
using System.Diagnostics;
using NeoWorker.Enclave.Configuration;
using NeoWorker.Enclave.Occlum;

namespace NeoWorker.Enclave.Tests;

/// <summary>
/// A built Occlum instance template for the Occlum backend's tests, made with the stand-in
/// <c>FakeOcclum/occlum</c> the way docker/occlum/build_instance.sh makes the real one: <c>occlum new</c>,
/// the image (/bin/node and the runner at /app, here symlinks to the host's node and the real runner),
/// Occlum.json's limits from the Tee section, <c>occlum build --sgx-mode SIM</c>. The image's /app is the
/// real runner, or a fake one (<see cref="For"/>).
/// </summary>
public sealed class OcclumTemplate : IDisposable
{
    public const int MaxMemoryMB = 512;

    public const int MaxThreads = 32;

    private static int lastSlot = 2000;

    private static readonly ConcurrentDictionary<string, Lazy<OcclumTemplate>> Shared = new();

    public OcclumTemplate()
        : this(RunnerPaths.RealRunner)
    {
    }

    internal OcclumTemplate(string runnerDirectory)
    {
        Root = Directory.CreateTempSubdirectory("neoworker-occlum-template-").FullName;
        Occlum = Path.Combine(AppContext.BaseDirectory, "FakeOcclum", "occlum");
        if (!OperatingSystem.IsWindows())
        {
            // The build copies it without its executable bit on some systems.
            File.SetUnixFileMode(Occlum, File.GetUnixFileMode(Occlum) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }

        InstanceDir = Path.Combine(Root, "instance");
        RunOcclum(Root, "new", InstanceDir);
        var node = OcclumInstance.ResolveTool("node") ?? throw new InvalidOperationException("The tests need Node.js on PATH.");
        Directory.CreateDirectory(Path.Combine(InstanceDir, "image", "bin"));
        File.CreateSymbolicLink(Path.Combine(InstanceDir, "image", "bin", "node"), node);
        Directory.CreateSymbolicLink(Path.Combine(InstanceDir, "image", "app"), runnerDirectory);
        File.WriteAllText(Path.Combine(InstanceDir, "Occlum.json"), $$"""
            {
              "resource_limits": { "user_space_size": "{{MaxMemoryMB}}MB", "kernel_space_heap_size": "128MB", "kernel_space_stack_size": "1MB", "max_num_of_threads": {{MaxThreads}} },
              "process": { "default_stack_size": "4MB", "default_heap_size": "32MB" },
              "entry_points": ["/bin"],
              "env": { "default": ["OCCLUM=yes", "NODE_ENV=production", "HOME=/root"], "untrusted": ["NEOWORKER_ENCLAVE_SLOT"] },
              "metadata": { "debuggable": false }
            }
            """);
        RunOcclum(InstanceDir, "build", "--sgx-mode", "SIM");
    }

    public string Root { get; }

    /// <summary>The stand-in occlum tool (a full path, so PATH need not change).</summary>
    public string Occlum { get; }

    public string InstanceDir { get; }

    public static int NextSlot() => Interlocked.Increment(ref lastSlot);

    /// <summary>A template whose image runs <paramref name="runnerDirectory"/>, made once per test run and removed when it ends.</summary>
    public static OcclumTemplate For(string runnerDirectory) =>
        Shared.GetOrAdd(Path.GetFullPath(runnerDirectory), directory => new Lazy<OcclumTemplate>(() =>
        {
            var template = new OcclumTemplate(directory);
            AppDomain.CurrentDomain.ProcessExit += (_, _) => template.Dispose();
            return template;
        })).Value;

    /// <summary>A fresh, empty <c>Tee:Occlum:TempDir</c> for one test.</summary>
    public string NewTempDir() => Directory.CreateDirectory(Path.Combine(Root, "run-" + Guid.NewGuid().ToString("N"))).FullName;

    /// <summary>A valid Occlum section for this template (SGX simulation, allowed).</summary>
    public TeeOptions Options(string tempDir)
    {
        var tee = EnclaveUnderTest.DefaultOptions("");
        tee.Type = TeeType.Occlum;
        tee.SimulationMode = true;
        tee.AllowSimulation = true;
        tee.Occlum.InstanceDir = InstanceDir;
        tee.Occlum.OcclumPath = Occlum;
        tee.Occlum.TempDir = tempDir;
        tee.Occlum.MaxMemoryMB = MaxMemoryMB;
        tee.Occlum.MaxThreads = MaxThreads;
        tee.Occlum.LogLevel = "warn";
        return tee;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A runner of a failed test may still hold a file; the temp folder is cleaned eventually.
        }
    }

    private void RunOcclum(string workingDirectory, params string[] arguments)
    {
        var psi = new ProcessStartInfo(Occlum) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            psi.ArgumentList.Add(argument);
        }

        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"occlum {string.Join(' ', arguments)} failed: {stderr}");
        }
    }
}
