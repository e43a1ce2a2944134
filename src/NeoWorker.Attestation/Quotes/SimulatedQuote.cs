namespace NeoWorker.Attestation.Quotes;

/// <summary>
/// The marker of a NeoWorker simulated quote. It takes the place of Intel's QE vendor id in the header, which the
/// attestation key signs, so it cannot be removed or added without breaking the quote; and the verifier accepts it
/// only from a chain that does not end at the Intel SGX Root CA (and Intel's id only from one that does).
/// </summary>
public static class SimulatedQuote
{
    /// <summary>The 16 ASCII bytes <c>NEOWORKER-SIMQE1</c> in the header's <c>qe_vendor_id</c>.</summary>
    public const string VendorIdText = "NEOWORKER-SIMQE1";

    public const string VendorIdHex = "4e454f574f524b45522d53494d514531";

    public static ReadOnlySpan<byte> VendorId => "NEOWORKER-SIMQE1"u8;
}
