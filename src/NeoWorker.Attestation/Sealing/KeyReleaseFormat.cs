namespace NeoWorker.Attestation.Sealing;

/// <summary>
/// The fixed constants and texts of the sealing-key release, version 1 (README.md, "Key release"). The wrapping is the
/// sealing construction (ECDH P-256, HKDF-SHA256, AES-256-GCM) under its own HKDF info and associated data.
/// </summary>
internal static class KeyReleaseFormat
{
    public const int Version = 1;
    public const string Info = "neoworker/key-release/v1";

    /// <summary>The request's nonce: 16 random bytes chosen by the enclave.</summary>
    public const int RequestNonceLength = 16;

    /// <summary>ECDSA P-256 in IEEE P1363 form (r || s).</summary>
    public const int SignatureLength = 64;

    /// <summary>Longest request or release text read (a quote with its PCK chain is about 5 KB).</summary>
    public const int MaxTextLength = 64 * 1024;

    /// <summary>Most sealing keys one release carries (the current one and those still being retired).</summary>
    public const int MaxSealingKeys = 16;

    /// <summary>Largest evidence accepted in a request.</summary>
    public const int MaxEvidenceLength = 32 * 1024;

    /// <summary>What the enclave key signs: <c>"neoworker/key-release/v1\nrequest\n" + transportPublicKey + "\n" + nonce</c> (both base64).</summary>
    public static string RequestSignedText(string transportPublicKeyBase64, string nonceBase64)
        => $"{Info}\nrequest\n{transportPublicKeyBase64}\n{nonceBase64}";

    /// <summary>UTF-8 of <c>"neoworker/key-release/v1\n" + transport kid + "\n" + sealing kids joined by "," + "\n" + request nonce (base64)</c>.</summary>
    public static byte[] AssociatedData(string transportKeyId, IReadOnlyList<string> sealingKeyIds, string requestNonceBase64)
        => SealingFormat.StrictUtf8.GetBytes($"{Info}\n{transportKeyId}\n{string.Join(',', sealingKeyIds)}\n{requestNonceBase64}");
}
