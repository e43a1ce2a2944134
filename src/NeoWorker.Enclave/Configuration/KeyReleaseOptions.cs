namespace NeoWorker.Enclave.Configuration;

/// <summary>
/// <c>Tee:KeyRelease</c>: how the sealing keys reach enclaves when <c>Tee:SealingKeySource</c> is <c>Release</c>.
/// Each enclave slot that holds no released key writes its key request to <see cref="RequestDirectory"/>
/// (<c>slot-&lt;n&gt;.request.json</c>) and takes the answer an operator writes beside it (<c>slot-&lt;n&gt;.release.json</c>,
/// ops/release_sealing_key.sh). Neither file holds a secret: the request is public, the release is encrypted to a key
/// that exists only inside that enclave.
/// </summary>
public sealed class KeyReleaseOptions
{
    public const int MinimumPollMs = 50;
    public const int MaximumPollMs = 60_000;
    public const int MaximumJobWaitSeconds = 3600;

    /// <summary>Where key requests are written and releases read; one directory per worker.</summary>
    public string RequestDirectory { get; set; } = "";

    /// <summary>
    /// Simulation only: where each simulated enclave keeps its released keys (<c>slot-&lt;n&gt;/sealing-keys.json</c>), a
    /// plain host directory standing in for an Occlum enclave's encrypted file system. Occlum enclaves keep them at
    /// <c>/keys</c> inside the enclave (NEOWORKER_KEY_STORE in the instance's measured Occlum.json); the host has no say.
    /// </summary>
    public string StoreDirectory { get; set; } = "";

    /// <summary>
    /// The sealing key ids (16 base64url characters each) every enclave must hold; empty accepts whatever an enclave
    /// restored. An enclave whose stored keys differ asks for a new release (key rotation).
    /// </summary>
    public IList<string> KeyIds { get; set; } = [];

    /// <summary>How often the request directory is checked for a release.</summary>
    public int PollMs { get; set; } = 1000;

    /// <summary>How long a job with sealed secrets waits for its enclave's release before it is handed back for a retry.</summary>
    public int JobWaitSeconds { get; set; } = 30;
}
