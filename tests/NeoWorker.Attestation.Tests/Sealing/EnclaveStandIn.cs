using System.Security.Cryptography;
using NeoWorker.Attestation.Proofs;
using NeoWorker.Attestation.Quotes;
using NeoWorker.Attestation.Sealing;
using NeoWorker.Attestation.Tests.Quotes;

namespace NeoWorker.Attestation.Tests.Sealing;

/// <summary>
/// An enclave as the runner is one, in C#: a P-256 enclave key and a simulated quote whose REPORTDATA binds it (or, to
/// test the binding, another key), from a deployment's simulation root. It makes key requests as the runner does.
/// </summary>
internal sealed class EnclaveStandIn : IDisposable
{
    public static readonly byte[] MrEnclave = SHA256.HashData("runner bundle"u8);
    public static readonly byte[] MrSigner = SHA256.HashData("neoworker signer"u8);

    private EnclaveStandIn(ECDsa key, byte[] quote)
    {
        Key = key;
        Quote = quote;
    }

    public ECDsa Key { get; }

    public byte[] Quote { get; }

    public static string MrEnclaveHex => Convert.ToHexStringLower(MrEnclave);

    public static string MrSignerHex => Convert.ToHexStringLower(MrSigner);

    /// <param name="boundKey">The key REPORTDATA binds; the enclave's own unless a test says otherwise.</param>
    public static EnclaveStandIn Create(SimulatedDeployment deployment, bool debug = false, ushort isvSvn = 3, ECDsa? boundKey = null)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var point = SealingFormatPoint(boundKey ?? key);
        var quote = deployment.BuildQuote(new SimulatedEnclaveReport
        {
            ReportData = EnclaveKeys.ReportData(point),
            MrEnclave = MrEnclave,
            MrSigner = MrSigner,
            IsvProdId = 1,
            IsvSvn = isvSvn,
            Debug = debug,
        });
        return new EnclaveStandIn(key, quote);
    }

    public KeyReleaseRecipient NewRecipient() => new(Key, Quote);

    /// <summary>Trusts the deployment's simulation root under <paramref name="policy"/>, checked at the deployment's fixed time.</summary>
    public static (SealingKeyReleaser Releaser, ProofTrust Trust) Releaser(SimulatedDeployment deployment, QuotePolicy policy) =>
        (new SealingKeyReleaser(new QuoteVerifier(new FixedClock(SimulatedDeployment.Now))),
         new ProofTrust(IntelSgx.LoadRootCa(), deployment.Root.LoadCertificate(), null, policy));

    /// <summary>The policy an operator would use for this stand-in: simulated quotes of its MRENCLAVE.</summary>
    public static QuotePolicy PinnedPolicy(bool allowSimulated = true) => new() { AllowSimulated = allowSimulated, AllowedMrEnclaves = [MrEnclaveHex] };

    private static byte[] SealingFormatPoint(ECDsa key)
    {
        var q = key.ExportParameters(includePrivateParameters: false).Q;
        return [0x04, .. q.X!, .. q.Y!];
    }

    public void Dispose() => Key.Dispose();
}
