using System.Security.Cryptography;
using NeoWorker.Attestation.Quotes;

namespace NeoWorker.Attestation.Tests.Quotes;

/// <summary>A simulation root and PCK as ops would create per deployment, and a verifier that trusts that root.</summary>
internal sealed class SimulatedDeployment
{
    public static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-01-15T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    public static readonly QuotePolicy AllowSimulated = new() { AllowSimulated = true };

    private SimulatedDeployment(SimulationRoot root, SimulatedPck pck)
    {
        Root = root;
        Pck = pck;
    }

    public SimulationRoot Root { get; }

    public SimulatedPck Pck { get; }

    public static SimulatedDeployment Create(string name = "test-deployment")
    {
        var root = SimulationRoot.Create(name, Now.AddDays(-1), Now.AddYears(10));
        return new SimulatedDeployment(root, root.IssuePck(name, Now.AddDays(-1), Now.AddYears(1)));
    }

    public static SimulatedEnclaveReport Report(bool debug = false) => new()
    {
        ReportData = Enumerable.Range(0, 64).Select(i => (byte)(0xa0 + i % 16)).ToArray(),
        MrEnclave = SHA256.HashData("runner bundle"u8),
        MrSigner = SHA256.HashData("neoworker signer"u8),
        IsvProdId = 7,
        IsvSvn = 3,
        Debug = debug,
    };

    public byte[] BuildQuote(SimulatedEnclaveReport? report = null) => WithBuilder(builder => builder.Build(report ?? Report()));

    public T WithBuilder<T>(Func<SimulatedQuoteBuilder, T> use)
    {
        using var key = ECDsa.Create();
        key.ImportFromPem(Pck.PrivateKeyPem);
        return use(new SimulatedQuoteBuilder(key, Pck.CertificateChainPem));
    }

    public QuoteVerificationResult Verify(byte[] quote, QuoteCollateral? collateral = null, QuotePolicy? policy = null, DateTimeOffset? at = null)
    {
        using var root = Root.LoadCertificate();
        return new QuoteVerifier(new FixedClock(at ?? Now)).Verify(quote, root, collateral, policy ?? AllowSimulated);
    }
}
