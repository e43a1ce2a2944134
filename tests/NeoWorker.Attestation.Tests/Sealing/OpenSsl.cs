using System.ComponentModel;
using System.Diagnostics;

namespace NeoWorker.Attestation.Tests.Sealing;

/// <summary>Runs the <c>openssl</c> command line, when it is on PATH.</summary>
internal static class OpenSsl
{
    private static readonly Lazy<bool> Available = new(() =>
    {
        try
        {
            Run("version");
            return true;
        }
        catch (Win32Exception)
        {
            return false;
        }
    });

    public static bool IsAvailable => Available.Value;

    public static string Run(params string[] arguments) => RunWithInput(stdin: "", arguments);

    public static string RunWithInput(string stdin, params string[] arguments)
    {
        var start = new ProcessStartInfo("openssl")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);

        using var process = Process.Start(start)!;
        process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"openssl {string.Join(' ', arguments)} exited {process.ExitCode}: {stderr.Result}");
        return stdout;
    }
}
