namespace NeoWorker.Attestation.Quotes;

/// <summary>What a simulated quote says about the enclave; the builder writes it into the ISV report body.</summary>
public sealed class SimulatedEnclaveReport
{
    /// <summary>64 bytes; NeoWorker: SHA-256(enclave public key) ‖ 32 zeros.</summary>
    public required ReadOnlyMemory<byte> ReportData { get; init; }

    /// <summary>32 bytes; in simulation, whatever identifies the enclave program (e.g. a hash of the runner bundle).</summary>
    public required ReadOnlyMemory<byte> MrEnclave { get; init; }

    /// <summary>32 bytes.</summary>
    public required ReadOnlyMemory<byte> MrSigner { get; init; }

    public ushort IsvProdId { get; init; }

    public ushort IsvSvn { get; init; }

    /// <summary>Sets the DEBUG attribute, as a debug enclave's report would.</summary>
    public bool Debug { get; init; }
}
