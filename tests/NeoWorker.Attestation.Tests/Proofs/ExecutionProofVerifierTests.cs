using System.Security.Cryptography;
using System.Text;
using NeoWorker.Attestation.Proofs;
using NeoWorker.Attestation.Quotes;
using NeoWorker.Contracts;

namespace NeoWorker.Attestation.Tests.Proofs;

public sealed class ExecutionProofVerifierTests : IDisposable
{
    private const string Code = "function main(input) { return { result: input.value * 2 }; }";
    private const string Input = """{ "value": 42 }""";
    private const string Result = """{"result":84}""";

    private readonly SimulationRoot _root = SimulationRoot.Create("proof-tests", DateTimeOffset.UtcNow.AddDays(-2), DateTimeOffset.UtcNow.AddYears(2));
    private readonly ECDsa _enclaveKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ExecutionProofVerifier _verifier = new();

    private ProofTrust Trust(bool allowSimulated = true) =>
        new(IntelSgx.LoadRootCa(), _root.LoadCertificate(), null, new QuotePolicy { AllowSimulated = allowSimulated });

    [Fact]
    public void A_proof_made_by_a_simulated_enclave_verifies_against_its_simulation_root()
    {
        var result = _verifier.Verify(MakeProof(), Trust(), new ProofExpectations(JobId: "job-1", Code: Code, Input: Input, Status: "Succeeded", Result: Result));

        Assert.True(result.IsValid, result.FailureReason);
        Assert.True(result.IsSimulated);
        Assert.Equal("job-1", result.Statement!.JobId);
    }

    [Fact]
    public void A_simulated_proof_is_refused_unless_simulation_is_allowed()
    {
        var result = _verifier.Verify(MakeProof(), Trust(allowSimulated: false));

        Assert.False(result.IsValid);
        Assert.Contains("evidence", result.FailureReason);
    }

    [Fact]
    public void A_changed_statement_breaks_the_signature()
    {
        var proof = MakeProof();
        var tampered = proof with { Statement = proof.Statement.Replace("Succeeded", "Failed", StringComparison.Ordinal) };

        var result = _verifier.Verify(tampered, Trust());

        Assert.False(result.IsValid);
        Assert.Contains(result.Checks, c => c is { Name: "signature", Passed: false });
    }

    [Fact]
    public void A_statement_signed_by_a_key_the_quote_does_not_bind_is_refused()
    {
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var honest = MakeProof();
        var point = Point(otherKey);
        var statement = Statement(EnclaveKeys.KeyId(point));
        var forged = honest with
        {
            Statement = statement,
            Signature = Convert.ToBase64String(otherKey.SignData(Encoding.UTF8.GetBytes(statement), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)),
            EnclavePublicKey = Convert.ToBase64String(point),
        };

        var result = _verifier.Verify(forged, Trust());

        Assert.False(result.IsValid);
        Assert.Contains(result.Checks, c => c is { Name: "key-binding", Passed: false });
    }

    [Fact]
    public void A_result_other_than_the_signed_one_is_refused_naming_the_field()
    {
        var result = _verifier.Verify(MakeProof(), Trust(), new ProofExpectations(Result: """{"result":85}"""));

        Assert.False(result.IsValid);
        Assert.Contains(result.Checks, c => c is { Name: "expected-resultSha256", Passed: false });
    }

    [Fact]
    public void A_non_canonical_statement_is_refused()
    {
        var proof = MakeProof();
        var reordered = "{\"functionId\":\"f\",\"jobId\":\"job-1\"}";

        var result = _verifier.Verify(proof with { Statement = reordered }, Trust());

        Assert.Contains(result.Checks, c => c is { Name: "statement", Passed: false });
    }

    private ExecutionProof MakeProof()
    {
        var point = Point(_enclaveKey);
        var pck = _root.IssuePck("proof-tests", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        using var pckKey = ECDsa.Create();
        pckKey.ImportFromPem(pck.PrivateKeyPem);
        var quote = new SimulatedQuoteBuilder(pckKey, pck.CertificateChainPem).Build(new SimulatedEnclaveReport
        {
            ReportData = EnclaveKeys.ReportData(point),
            MrEnclave = SHA256.HashData("runner"u8),
            MrSigner = SHA256.HashData("neoworker-simulation-signer"u8),
        });
        var statement = Statement(EnclaveKeys.KeyId(point));
        var signature = _enclaveKey.SignData(Encoding.UTF8.GetBytes(statement), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return new ExecutionProof(statement, Convert.ToBase64String(signature), Convert.ToBase64String(point), Convert.ToBase64String(quote));
    }

    private static string Statement(string keyId) =>
        $$"""{"jobId":"job-1","functionId":"f","userId":"u","codeSha256":"{{ContentHash.Sha256Hex(Code)}}","inputSha256":"{{ContentHash.Sha256Hex(Input)}}","status":"Succeeded","resultSha256":"{{ContentHash.Sha256Hex(Result)}}","executedAt":"2026-11-27T06:00:00.000Z","enclaveKeyId":"{{keyId}}"}""";

    private static byte[] Point(ECDsa key)
    {
        var parameters = key.ExportParameters(false);
        return [0x04, .. parameters.Q.X!, .. parameters.Q.Y!];
    }

    public void Dispose() => _enclaveKey.Dispose();
}
