using NeoWorker.Attestation.Proofs;
using NeoWorker.Attestation.Providers;
using NeoWorker.Attestation.Quotes;
using NeoWorker.Attestation.Tests.Quotes;

namespace NeoWorker.Attestation.Tests.Providers;

public sealed class SimulatedAttestationProviderTests : IDisposable
{
    private readonly ProviderTestKit _kit = new();

    private IAttestationProvider Provider(QuotePolicy? policy = null) => AttestationProviderFactory.Create(_kit.SimulationOptions(policy));

    [Fact]
    public async Task Evidence_binds_the_report_data_and_carries_the_given_measurements()
    {
        var evidence = await Provider().GenerateAttestationProofAsync(_kit.ReportData);

        Assert.Equal(AttestationEvidence.SgxDcapQuoteV3, evidence.EvidenceType);
        Assert.Equal(_kit.ReportData, evidence.ReportData.ToArray());
        Assert.True(evidence.IsSimulated);
        Assert.False(evidence.IsDebug);
        Assert.Equal(ProviderTestKit.MrEnclaveHex, evidence.MrEnclaveHex);
        Assert.Equal(SimulatedAttestationProvider.DefaultMrSignerHex, evidence.MrSignerHex);
        Assert.Equal((ushort)1, evidence.IsvProdId);
        Assert.Equal((ushort)1, evidence.IsvSvn);
        Assert.Equal(evidence.Quote.ToArray(), Convert.FromBase64String(evidence.ToBase64()));
        Assert.True(SgxQuote.Parse(evidence.Quote.Span).Header.QeVendorId.Span.SequenceEqual(SimulatedQuote.VendorId));
    }

    [Fact]
    public async Task The_runners_mrsigner_is_the_default()
    {
        Assert.Equal(
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("neoworker-simulation-signer"u8)),
            SimulatedAttestationProvider.DefaultMrSignerHex);
        var provider = AttestationProviderFactory.Create(_kit.SimulationOptions() with { SimulatedMrSignerHex = new string('a', 64), SimulatedIsvSvn = 9 });

        var evidence = await provider.GenerateAttestationProofAsync(_kit.ReportData);

        Assert.Equal(new string('a', 64), evidence.MrSignerHex);
        Assert.Equal((ushort)9, evidence.IsvSvn);
    }

    [Fact]
    public async Task Round_trip_a_proof_around_generated_evidence_verifies()
    {
        var provider = Provider();
        var evidence = await provider.GenerateAttestationProofAsync(_kit.ReportData);
        var proof = _kit.Proof(evidence.Quote.Span);

        var result = await provider.VerifyAttestationProofAsync(proof,
            new ProofExpectations(JobId: "job-1", Code: ProviderTestKit.Code, Input: ProviderTestKit.Input, Status: "Succeeded", Result: ProviderTestKit.Result));

        Assert.True(result.IsValid, result.FailureReason);
        Assert.True(result.IsSimulated);
        Assert.Equal(["statement", "signature", "enclave-key-id", "evidence", "key-binding", "expected-jobId", "expected-codeSha256",
            "expected-inputSha256", "expected-status", "expected-resultSha256"], result.Checks.Select(c => c.Name));
        Assert.Equal(TcbStatus.Simulated, result.Evidence!.TcbStatus);
        Assert.Equal(ProviderTestKit.MrEnclaveHex, result.Evidence.MrEnclaveHex);
    }

    [Fact]
    public async Task Under_a_policy_without_AllowSimulated_the_same_proof_is_invalid_with_the_reason()
    {
        var evidence = await Provider().GenerateAttestationProofAsync(_kit.ReportData);
        var strict = Provider(new QuotePolicy());

        var result = await strict.VerifyAttestationProofAsync(_kit.Proof(evidence.Quote.Span));

        Assert.False(result.IsValid);
        Assert.Equal(["evidence"], result.Checks.Where(c => !c.Passed).Select(c => c.Name));
        Assert.Contains("[evidence]", result.FailureReason, StringComparison.Ordinal);
        Assert.Contains("this policy refuses simulated evidence", result.FailureReason, StringComparison.Ordinal);
        Assert.Contains(result.Evidence!.Failures, c => c.Name == QuoteCheckNames.PolicySimulated);
    }

    [Fact]
    public async Task A_proof_for_another_job_is_refused_when_the_job_is_expected()
    {
        var provider = Provider();
        var evidence = await provider.GenerateAttestationProofAsync(_kit.ReportData);

        var result = await provider.VerifyAttestationProofAsync(_kit.Proof(evidence.Quote.Span, jobId: "job-A"), new ProofExpectations(JobId: "job-B"));

        Assert.False(result.IsValid);
        Assert.Contains("[expected-jobId] expected job-B, the statement says job-A.", result.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evidence_for_other_report_data_does_not_bind_the_signing_key()
    {
        var provider = Provider();
        var evidence = await provider.GenerateAttestationProofAsync(new byte[64]);

        var result = await provider.VerifyAttestationProofAsync(_kit.Proof(evidence.Quote.Span));

        Assert.False(result.IsValid);
        Assert.Equal(["key-binding"], result.Checks.Where(c => !c.Passed).Select(c => c.Name));
    }

    [Fact]
    public async Task Evidence_from_another_deployment_is_refused_at_its_pck_chain()
    {
        using var other = new ProviderTestKit("other-deployment");
        var foreign = await AttestationProviderFactory.Create(other.SimulationOptions()).GenerateAttestationProofAsync(_kit.ReportData);
        var provider = (SimulatedAttestationProvider)Provider();

        var result = await provider.VerifyAttestationProofAsync(_kit.Proof(foreign.Quote.Span));

        Assert.False(result.IsValid);
        Assert.Contains(result.Evidence!.Failures, c => c.Name == QuoteCheckNames.PckChain);
        Assert.False(provider.VerifyEvidence(foreign.Quote.Span).IsValid);
    }

    [Fact]
    public async Task The_generated_evidence_alone_verifies_against_the_simulation_root()
    {
        var provider = (SimulatedAttestationProvider)Provider();
        var evidence = await provider.GenerateAttestationProofAsync(_kit.ReportData);

        var result = provider.VerifyEvidence(evidence.Quote.Span);

        Assert.True(result.IsValid, result.FailureReason);
        Assert.Equal(ProviderTestKit.Now, result.VerificationTime);
    }

    [Fact]
    public async Task A_hardware_quote_is_not_accepted_by_the_simulated_provider()
    {
        var result = await Provider().VerifyAttestationProofAsync(_kit.Proof(SgxTestData.QuoteA));

        Assert.False(result.IsValid);
        Assert.Contains(result.Checks, c => c is { Name: "evidence", Passed: false });
    }

    [Theory]
    [InlineData(0)]
    [InlineData(32)]
    [InlineData(65)]
    public async Task Report_data_must_be_64_bytes(int length)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Provider().GenerateAttestationProofAsync(new byte[length]));

        Assert.Contains($"exactly 64 bytes (SGX REPORTDATA); got {length}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_verify_only_provider_says_which_options_generation_needs()
    {
        var provider = AttestationProviderFactory.Create(_kit.SimulationOptions(withPck: false));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => provider.GenerateAttestationProofAsync(_kit.ReportData));

        Assert.Contains("SimulatedPckPrivateKeyPem", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_is_honoured()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Provider().GenerateAttestationProofAsync(_kit.ReportData, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Provider().VerifyAttestationProofAsync(_kit.Proof(SgxTestData.QuoteA), null, cancelled.Token));
    }

    [Fact]
    public void The_options_text_never_shows_the_pck_key()
    {
        var text = _kit.SimulationOptions().ToString();

        Assert.DoesNotContain("PRIVATE KEY", text, StringComparison.Ordinal);
        Assert.Contains("set (not shown)", text, StringComparison.Ordinal);
    }

    public void Dispose() => _kit.Dispose();
}
