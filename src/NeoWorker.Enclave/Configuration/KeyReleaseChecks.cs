using System.Globalization;

namespace NeoWorker.Enclave.Configuration;

/// <summary>Start-up checks of <c>Tee:SealingKeySource</c> and <c>Tee:KeyRelease</c>; every message names the key to fix.</summary>
internal static class KeyReleaseChecks
{
    public static void Validate(TeeOptions options, List<string> failures)
    {
        if (options.SealingKeySource != SealingKeySource.Release)
        {
            if (options.Type == TeeType.Occlum && options.Simulation.SealingKeyFiles.Count > 0)
            {
                failures.Add("Tee:Simulation:SealingKeyFiles cannot reach an Occlum enclave (it reads no host files): set "
                    + "Tee:SealingKeySource=Release to release the sealing key into each attested enclave, or remove the key files.");
            }

            return;
        }

        var release = options.KeyRelease;
        CheckRequestDirectory(release.RequestDirectory, failures);
        if (release.PollMs is < KeyReleaseOptions.MinimumPollMs or > KeyReleaseOptions.MaximumPollMs)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture,
                $"Tee:KeyRelease:PollMs ({release.PollMs}) must be between {KeyReleaseOptions.MinimumPollMs} and {KeyReleaseOptions.MaximumPollMs}."));
        }

        if (release.JobWaitSeconds is < 0 or > KeyReleaseOptions.MaximumJobWaitSeconds)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture,
                $"Tee:KeyRelease:JobWaitSeconds ({release.JobWaitSeconds}) must be between 0 and {KeyReleaseOptions.MaximumJobWaitSeconds}."));
        }

        for (var i = 0; i < release.KeyIds.Count; i++)
        {
            if (!IsKeyId(release.KeyIds[i]))
            {
                failures.Add($"Tee:KeyRelease:KeyIds:{i} '{release.KeyIds[i]}' is not a sealing key id (16 base64url characters, "
                    + "as GET /api/v1/tee/info shows it in sealing.keyId).");
            }
        }

        if (options.Type != TeeType.Simulation)
        {
            return; // Occlum: the instance must request its key (OcclumChecks); where it keeps it is measured into the enclave.
        }

        if (string.IsNullOrWhiteSpace(release.StoreDirectory))
        {
            failures.Add("Tee:KeyRelease:StoreDirectory is required with Tee:Type=Simulation and Tee:SealingKeySource=Release: the host "
                + "directory where simulated enclaves keep their released keys (standing in for an Occlum enclave's encrypted file system).");
        }

        if (string.IsNullOrWhiteSpace(options.Simulation.AttestationKeyFile) || string.IsNullOrWhiteSpace(options.Simulation.AttestationChainFile))
        {
            failures.Add("Tee:SealingKeySource=Release needs evidence: set Tee:Simulation:AttestationKeyFile and "
                + "Tee:Simulation:AttestationChainFile (each key request carries the enclave's quote).");
        }

        if (options.Simulation.SealingKeyFiles.Count > 0)
        {
            failures.Add("Tee:Simulation:SealingKeyFiles is set but Tee:SealingKeySource is Release: the keys come by release or "
                + "from files, not both; remove one.");
        }
    }

    private static void CheckRequestDirectory(string directory, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(directory))
        {
            failures.Add("Tee:KeyRelease:RequestDirectory is required when Tee:SealingKeySource is Release: the directory where "
                + "enclaves' key requests are written and the operator's releases are read.");
            return;
        }

        var full = Path.GetFullPath(directory);
        var probe = Path.Combine(full, $".write-probe-{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}");
        try
        {
            Directory.CreateDirectory(full);
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            failures.Add($"Tee:KeyRelease:RequestDirectory '{full}' is not writable by this user ({ex.Message}).");
        }
    }

    /// <summary>16 base64url characters: the sealing key id format (NeoWorker.Attestation's SealingPublicKey.KeyId).</summary>
    public static bool IsKeyId(string? value) =>
        value is { Length: 16 } && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
