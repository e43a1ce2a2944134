using NeoWorker.Attestation.Providers;
using NeoWorker.Attestation.Quotes;
using NeoWorker.Attestation.Tests.Quotes;

namespace NeoWorker.Attestation.Tests.Providers;

/// <summary>
/// The SGX provider against the genuine quote A and its Intel collateral (Quotes/TestData/sgx, pinned time). No
/// proof can be made for a real quote (its REPORTDATA is "Hello, world!", not one of our keys), so the proof path
/// is shown to pass the evidence and fail exactly at the key binding.
/// </summary>
public sealed class SgxDcapAttestationProviderTests : IDisposable
{
    private readonly ProviderTestKit _kit = new();

    private static SgxDcapAttestationProvider Provider(DateTimeOffset at, QuotePolicy? policy = null) =>
        (SgxDcapAttestationProvider)AttestationProviderFactory.Create(new AttestationProviderOptions
        {
            Type = AttestationProviderOptions.SgxDcapType,
            Collateral = SgxTestData.CollateralA(),
            Policy = policy,
            Clock = new FixedClock(at),
        });

    [Fact]
    public void The_real_quote_verifies_against_the_intel_root_and_collateral_at_the_pinned_time()
    {
        var result = Provider(SgxTestData.TimeA).VerifyEvidence(SgxTestData.QuoteA);

        QuoteAssert.Valid(result);
        Assert.False(result.IsSimulated);
        Assert.Equal(TcbStatus.ConfigurationAndSWHardeningNeeded, result.TcbStatus);
        Assert.Equal(SgxTestData.TimeA, result.VerificationTime);
    }

    [Fact]
    public async Task A_proof_carrying_the_real_quote_passes_the_evidence_and_fails_only_at_the_key_binding()
    {
        var result = await Provider(SgxTestData.TimeA).VerifyAttestationProofAsync(_kit.Proof(SgxTestData.QuoteA));

        Assert.False(result.IsValid);
        Assert.Contains(result.Checks, c => c is { Name: "signature", Passed: true });
        Assert.Contains(result.Checks, c => c is { Name: "evidence", Passed: true });
        Assert.Equal(["key-binding"], result.Checks.Where(c => !c.Passed).Select(c => c.Name));
        Assert.Contains("SGX quote, MRENCLAVE 33d8736db756ed4997e04ba358d27833188f1932ff7b1d156904d3f560452fbb, TCB ConfigurationAndSWHardeningNeeded",
            result.Checks.Single(c => c.Name == "evidence").Detail, StringComparison.Ordinal);
        Assert.False(result.IsSimulated);
    }

    [Fact]
    public async Task After_the_collateral_expires_the_evidence_fails_too()
    {
        var late = SgxTestData.WindowEndA.AddDays(1);

        var evidence = Provider(late).VerifyEvidence(SgxTestData.QuoteA);
        var proof = await Provider(late).VerifyAttestationProofAsync(_kit.Proof(SgxTestData.QuoteA));

        Assert.False(evidence.IsValid);
        Assert.Contains(proof.Checks, c => c is { Name: "evidence", Passed: false });
    }

    [Fact]
    public async Task Simulated_evidence_never_passes_for_hardware_even_if_the_policy_allows_simulation()
    {
        var simulated = await AttestationProviderFactory.Create(_kit.SimulationOptions()).GenerateAttestationProofAsync(_kit.ReportData);

        var result = await Provider(ProviderTestKit.Now, new QuotePolicy { AllowSimulated = true }).VerifyAttestationProofAsync(_kit.Proof(simulated.Quote.Span));

        Assert.False(result.IsValid);
        Assert.Contains(result.Evidence!.Failures, c => c.Name == QuoteCheckNames.QeVendor);
        Assert.Contains(result.Evidence.Failures, c => c.Name == QuoteCheckNames.PckChain);
    }

    [Fact]
    public async Task The_policy_applies_to_the_real_quote()
    {
        var result = await Provider(SgxTestData.TimeA, new QuotePolicy { AllowedMrEnclaves = [new string('0', 64)] })
            .VerifyAttestationProofAsync(_kit.Proof(SgxTestData.QuoteA));

        Assert.Contains(result.Evidence!.Failures, c => c.Name == QuoteCheckNames.PolicyMrEnclave);
    }

    [Fact]
    public async Task Generation_is_not_possible_outside_the_enclave_and_says_where_quotes_come_from()
    {
        var provider = AttestationProviderFactory.Create(new AttestationProviderOptions { Type = "SgxDcap" });

        var error = await Assert.ThrowsAsync<PlatformNotSupportedException>(() => provider.GenerateAttestationProofAsync(_kit.ReportData));

        Assert.Contains("outside an SGX enclave there is no quote source", error.Message, StringComparison.Ordinal);
        Assert.Contains("enclave runner inside Occlum", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => provider.GenerateAttestationProofAsync(new byte[10]));
    }

    [Fact]
    public void Evidence_reads_the_real_quote()
    {
        var evidence = new AttestationEvidence(SgxTestData.QuoteA);

        Assert.False(evidence.IsSimulated);
        Assert.Equal("33d8736db756ed4997e04ba358d27833188f1932ff7b1d156904d3f560452fbb", evidence.MrEnclaveHex);
        Assert.StartsWith("Hello, world!", System.Text.Encoding.ASCII.GetString(evidence.ReportData.Span), StringComparison.Ordinal);
        Assert.Throws<QuoteFormatException>(() => new AttestationEvidence(new byte[100]));
    }

    public void Dispose() => _kit.Dispose();
}
