using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using NeoWorker.Enclave.Configuration;

namespace NeoWorker.Enclave.KeyRelease;

/// <summary>
/// The files through which enclaves awaiting the fleet's sealing keys meet the operator (<c>Tee:KeyRelease:RequestDirectory</c>):
/// an enclave slot's key request goes to <c>slot-&lt;n&gt;.request.json</c>; the operator's answer
/// (<c>ops/release_sealing_key.sh --request slot-&lt;n&gt;.request.json --out slot-&lt;n&gt;.release.json</c>, or
/// <c>--requests DIR</c> for all) is taken from <c>slot-&lt;n&gt;.release.json</c> and relayed to the enclave. A release the
/// enclave refuses is kept as <c>slot-&lt;n&gt;.rejected.json</c> for the operator to look at. Nothing here is secret: the
/// request is public, and the release is encrypted to a key that exists only inside the enclave that asked.
/// </summary>
internal sealed class KeyReleaseExchange(KeyReleaseOptions options, ILogger logger)
{
    public string Directory => Path.GetFullPath(options.RequestDirectory);

    public string RequestFile(int slot) => File(slot, "request");

    public string ReleaseFile(int slot) => File(slot, "release");

    public string RejectedFile(int slot) => File(slot, "rejected");

    /// <summary>
    /// True when keys an enclave restored from its store will do: any, unless <c>Tee:KeyRelease:KeyIds</c> names the
    /// exact set (key rotation: an enclave holding another set asks for a new release).
    /// </summary>
    public bool Accepts(IReadOnlyList<string> keyIds) =>
        keyIds.Count > 0
        && (options.KeyIds.Count == 0 || new HashSet<string>(options.KeyIds, StringComparer.Ordinal).SetEquals(keyIds));

    /// <summary>
    /// Publishes an enclave's key request and waits for the release that answers it. A release left from an earlier
    /// request is removed first (it could not open anyway); a file that is not yet whole JSON is read again later.
    /// </summary>
    public async Task<string> AwaitReleaseAsync(int slot, string enclaveId, string requestJson, CancellationToken cancellationToken)
    {
        var poll = TimeSpan.FromMilliseconds(options.PollMs);
        while (true)
        {
            try
            {
                System.IO.Directory.CreateDirectory(Directory);
                System.IO.File.Delete(ReleaseFile(slot));
                WriteWhole(RequestFile(slot), requestJson);
                break;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Log.KeyRequestNotWritten(logger, ex, enclaveId, RequestFile(slot));
                await Task.Delay(poll * 10, cancellationToken).ConfigureAwait(false);
            }
        }

        Log.SealingKeyRequested(logger, enclaveId, RequestFile(slot), ReleaseFile(slot));
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (TryRead(ReleaseFile(slot)) is { } release)
            {
                return release;
            }

            await Task.Delay(poll, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The enclave took the keys: the request and its answer are done with.</summary>
    public void Completed(int slot)
    {
        TryDelete(ReleaseFile(slot));
        TryDelete(RequestFile(slot));
    }

    /// <summary>The enclave refused the release: keep it aside (the request stays, awaiting a release that opens).</summary>
    public void Rejected(int slot)
    {
        try
        {
            System.IO.File.Move(ReleaseFile(slot), RejectedFile(slot), overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(ReleaseFile(slot));
        }
    }

    private string File(int slot, string kind) =>
        Path.Combine(Directory, string.Create(CultureInfo.InvariantCulture, $"slot-{slot}.{kind}.json"));

    private static string? TryRead(string file)
    {
        try
        {
            if (!System.IO.File.Exists(file))
            {
                return null;
            }

            var text = System.IO.File.ReadAllText(file);
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object ? text : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            return null; // still being written or copied: read it again at the next poll
        }
    }

    private static void WriteWhole(string file, string text)
    {
        var staging = file + ".tmp";
        System.IO.File.WriteAllText(staging, text + "\n");
        System.IO.File.Move(staging, file, overwrite: true);
    }

    private static void TryDelete(string file)
    {
        try
        {
            System.IO.File.Delete(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left for the operator; the next request overwrites it.
        }
    }
}
