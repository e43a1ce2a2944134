namespace NeoWorker.Persistence.Entities;

/// <summary>
/// One enclave key and the evidence (quote) binding it; stored once per enclave start and shared
/// by every proof that key signed, so a quote of several KB is not repeated per job.
/// </summary>
public sealed class EnclaveEvidence
{
    /// <summary>Lowercase hex of the first 16 bytes of SHA-256 of the public key point.</summary>
    public required string EnclaveKeyId { get; set; }

    /// <summary>Base64 of the uncompressed P-256 point.</summary>
    public required string EnclavePublicKey { get; set; }

    public required string EvidenceType { get; set; }

    /// <summary>Base64 of the quote.</summary>
    public required string Evidence { get; set; }

    public bool Simulated { get; set; }

    public string? MrEnclave { get; set; }

    public DateTimeOffset FirstSeenAt { get; set; }
}
