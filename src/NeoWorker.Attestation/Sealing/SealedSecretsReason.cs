namespace NeoWorker.Attestation.Sealing;

/// <summary>Why an envelope was refused. The JavaScript runner uses the same names as its <c>reason</c>.</summary>
public enum SealedSecretsReason
{
    /// <summary>Not JSON, not an object, a field missing, extra, duplicated, of the wrong type or size, or an invalid ephemeral point.</summary>
    MalformedEnvelope,

    /// <summary><c>v</c> is a number other than 1, or <c>alg</c> is not the version-1 algorithm.</summary>
    UnsupportedVersion,

    /// <summary>No key with the envelope's <c>kid</c> is known.</summary>
    UnknownKeyId,

    /// <summary>
    /// AES-GCM authentication failed: sealed for another user or function, or tampered with.
    /// The two cannot be told apart (both change what is authenticated), so they share one reason.
    /// </summary>
    DecryptionFailed,

    /// <summary>The envelope or its ciphertext exceeds the maximum plaintext size.</summary>
    TooLarge,

    /// <summary>Decrypted, but the plaintext is not UTF-8 text of a JSON object (only a non-conforming sealer can cause this).</summary>
    InvalidPlaintext,
}
