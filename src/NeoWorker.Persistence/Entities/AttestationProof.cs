namespace NeoWorker.Persistence.Entities;

/// <summary>The enclave's signed statement about one job; written with the job's terminal state.</summary>
public sealed class AttestationProof
{
    public Guid JobId { get; set; }

    /// <summary>The canonical statement text exactly as signed.</summary>
    public required string Statement { get; set; }

    /// <summary>Base64 ECDSA P-256 signature (r‖s) over the statement's UTF-8 bytes.</summary>
    public required string Signature { get; set; }

    public required string EnclaveKeyId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
