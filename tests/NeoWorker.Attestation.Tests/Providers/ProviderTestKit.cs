using System.Security.Cryptography;
using System.Text;
using NeoWorker.Attestation.Proofs;
using NeoWorker.Attestation.Providers;
using NeoWorker.Attestation.Quotes;
using NeoWorker.Contracts;

namespace NeoWorker.Attestation.Tests.Providers;

/// <summary>
/// A throwaway simulated deployment (root, PCK) and an enclave key that signs statements the way the runner does:
/// the test builds the proof around evidence the provider generated for SHA-256(enclave key) ‖ zeros.
/// </summary>
internal sealed class ProviderTestKit : IDisposable
{
    public const string Code = "function main(input) { return { result: input.value * 2 }; }";
    public const string Input = """{ "value": 42 }""";
    public const string Result = """{"result":84}""";

    public static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-01-15T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    public static readonly string MrEnclaveHex = Convert.ToHexStringLower(SHA256.HashData("runner bundle"u8));

    public ProviderTestKit(string deployment = "provider-tests")
    {
        Root = SimulationRoot.Create(deployment, Now.AddDays(-1), Now.AddYears(10));
        Pck = Root.IssuePck(deployment, Now.AddDays(-1), Now.AddYears(1));
    }

    public SimulationRoot Root { get; }

    public SimulatedPck Pck { get; }

    public ECDsa EnclaveKey { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public byte[] Point
    {
        get
        {
            var q = EnclaveKey.ExportParameters(false).Q;
            return [0x04, .. q.X!, .. q.Y!];
        }
    }

    public byte[] ReportData => EnclaveKeys.ReportData(Point);

    public AttestationProviderOptions SimulationOptions(QuotePolicy? policy = null, bool withPck = true) => new()
    {
        Type = AttestationProviderOptions.SimulationType,
        SimulationRootPem = Root.CertificatePem,
        SimulatedPckPrivateKeyPem = withPck ? Pck.PrivateKeyPem : null,
        SimulatedPckCertificateChainPem = withPck ? Pck.CertificateChainPem : null,
        SimulatedMrEnclaveHex = withPck ? MrEnclaveHex : null,
        Policy = policy,
        Clock = new Quotes.FixedClock(Now),
    };

    /// <summary>A proof of one job: the canonical statement signed by <see cref="EnclaveKey"/>, with the given evidence.</summary>
    public ExecutionProof Proof(ReadOnlySpan<byte> evidence, string jobId = "job-1")
    {
        var statement =
            $$"""{"jobId":"{{jobId}}","functionId":"f","userId":"u","codeSha256":"{{ContentHash.Sha256Hex(Code)}}","inputSha256":"{{ContentHash.Sha256Hex(Input)}}","status":"Succeeded","resultSha256":"{{ContentHash.Sha256Hex(Result)}}","executedAt":"2026-01-15T12:00:00.000Z","enclaveKeyId":"{{EnclaveKeys.KeyId(Point)}}"}""";
        var signature = EnclaveKey.SignData(Encoding.UTF8.GetBytes(statement), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return new ExecutionProof(statement, Convert.ToBase64String(signature), Convert.ToBase64String(Point), Convert.ToBase64String(evidence));
    }

    public void Dispose() => EnclaveKey.Dispose();
}
