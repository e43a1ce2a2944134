namespace NeoWorker.Attestation.Sealing;

/// <summary>Why an enclave refused a release envelope. The JavaScript runner uses the same names as its <c>reason</c>.</summary>
public enum KeyReleaseRejection
{
    /// <summary>Not the version-1 release document: not JSON, a field missing, extra, duplicated, of the wrong type or size, or too long.</summary>
    MalformedRelease,

    /// <summary><c>v</c> is a number other than 1, or <c>alg</c> is not the version-1 algorithm.</summary>
    UnsupportedVersion,

    /// <summary>The enclave has no key request outstanding (none made, or already answered).</summary>
    NoPendingRequest,

    /// <summary>The release is wrapped to another transport key (<c>kid</c>): it answers another enclave's request.</summary>
    WrongTransportKey,

    /// <summary>The release names another request nonce: it answers an earlier or another request.</summary>
    WrongRequest,

    /// <summary>AES-GCM authentication failed: altered, or its key ids or nonce changed after wrapping.</summary>
    DecryptionFailed,

    /// <summary>Decrypted, but the plaintext is not the keys it names (only a non-conforming releaser can cause this).</summary>
    InvalidKeys,
}
