using NeoWorker.Attestation.Quotes;

namespace NeoWorker.Attestation.Tests.Quotes;

/// <summary>Simulated quotes: same parser, same verifier, only the trust root differs — and never mistaken for hardware.</summary>
public sealed class SimulatedQuoteTests
{
    private readonly SimulatedDeployment deployment = SimulatedDeployment.Create();

    [Fact]
    public void A_simulated_quote_verifies_against_its_simulation_root_when_simulation_is_allowed()
    {
        var result = deployment.Verify(deployment.BuildQuote());

        QuoteAssert.Valid(result);
        Assert.True(result.IsSimulated);
        Assert.Equal(TcbStatus.Simulated, result.TcbStatus);
        Assert.Empty(result.AdvisoryIds);
        Assert.All(result.Checks.Where(c => c.Name.StartsWith("tcb-", StringComparison.Ordinal) || c.Name.StartsWith("qe-identity", StringComparison.Ordinal)),
            c => Assert.Equal(QuoteCheckOutcome.Skipped, c.Outcome));
        Assert.True(result.Check(QuoteCheckNames.PckChain)!.Passed);
        Assert.True(result.Check(QuoteCheckNames.QeReportSignature)!.Passed);
        Assert.True(result.Check(QuoteCheckNames.QeReportBinding)!.Passed);
        Assert.True(result.Check(QuoteCheckNames.IsvReportSignature)!.Passed);
    }

    [Fact]
    public void Report_data_and_enclave_identity_round_trip()
    {
        var report = SimulatedDeployment.Report();

        var result = deployment.Verify(deployment.BuildQuote(report));

        Assert.Equal(report.ReportData.ToArray(), result.ReportData.ToArray());
        Assert.Equal(Convert.ToHexStringLower(report.MrEnclave.Span), result.MrEnclaveHex);
        Assert.Equal(Convert.ToHexStringLower(report.MrSigner.Span), result.MrSignerHex);
        Assert.Equal(7, result.Quote!.ReportBody.IsvProdId);
        Assert.Equal(3, result.Quote.ReportBody.IsvSvn);
        Assert.False(result.IsDebug);
    }

    [Fact]
    public void Without_allow_simulated_it_is_refused_and_the_reason_says_simulated()
    {
        var result = deployment.Verify(deployment.BuildQuote(), policy: QuotePolicy.Default);

        QuoteAssert.FailedExactly(result, QuoteCheckNames.PolicySimulated);
        Assert.Contains("simulated", result.FailureReason);
        Assert.Contains("NEOWORKER-SIMQE1", result.FailureReason);
        Assert.True(result.IsSimulated);
    }

    [Fact]
    public void Against_the_intel_root_it_is_refused_even_when_simulation_is_allowed()
    {
        using var intel = IntelSgx.LoadRootCa();

        var result = new QuoteVerifier(new FixedClock(SimulatedDeployment.Now)).Verify(deployment.BuildQuote(), intel, null, SimulatedDeployment.AllowSimulated);

        QuoteAssert.FailedExactly(result, QuoteCheckNames.QeVendor, QuoteCheckNames.PckChain);
        Assert.Contains("simulated quotes verify only against a simulation root", result.Check(QuoteCheckNames.QeVendor)!.Detail);
    }

    [Fact]
    public void Against_another_deployments_root_the_chain_fails()
    {
        var other = SimulatedDeployment.Create("other-deployment");

        var result = other.Verify(deployment.BuildQuote());

        QuoteAssert.FailedExactly(result, QuoteCheckNames.PckChain);
    }

    [Fact]
    public void A_quote_signed_with_simulation_keys_but_claiming_intels_vendor_id_is_refused()
    {
        var disguised = deployment.WithBuilder(builder => builder.Build(SimulatedDeployment.Report(), IntelSgx.QeVendorId));
        var policy = new QuotePolicy { AllowSimulated = true, AcceptedTcbStatuses = new HashSet<TcbStatus> { TcbStatus.NotEvaluated } };

        var result = deployment.Verify(disguised, policy: policy);

        QuoteAssert.FailedExactly(result, QuoteCheckNames.QeVendor);
        Assert.False(result.IsSimulated);
        Assert.Contains("Intel's QE vendor id but the trust root", result.FailureReason);
    }

    [Theory]
    [InlineData(SgxQuoteHeader.Size + 320, QuoteCheckNames.IsvReportSignature)] // REPORTDATA
    [InlineData(SgxQuoteHeader.Size + 64, QuoteCheckNames.IsvReportSignature)] // MRENCLAVE
    [InlineData(SgxQuote.SignatureDataOffset + 128 + 10, QuoteCheckNames.QeReportSignature)] // QE report
    [InlineData(SgxQuote.SignatureDataOffset + 512, QuoteCheckNames.QeReportSignature)] // QE report signature
    public void A_tampered_simulated_quote_fails(int offset, string failing)
    {
        var result = deployment.Verify(SgxTestData.Flipped(deployment.BuildQuote(), offset));

        QuoteAssert.FailedExactly(result, failing);
    }

    [Fact]
    public void Removing_the_simulated_marker_breaks_the_signature()
    {
        var quote = deployment.BuildQuote();
        IntelSgx.QeVendorId.CopyTo(quote.AsSpan(12));
        using var intel = IntelSgx.LoadRootCa();

        var result = new QuoteVerifier(new FixedClock(SimulatedDeployment.Now)).Verify(quote, intel, null, QuotePolicy.Default);

        Assert.False(result.IsValid);
        QuoteAssert.Failed(result, QuoteCheckNames.IsvReportSignature);
        QuoteAssert.Failed(result, QuoteCheckNames.PckChain);
    }

    [Fact]
    public void A_debug_simulated_enclave_is_refused_unless_debug_is_allowed()
    {
        var quote = deployment.BuildQuote(SimulatedDeployment.Report(debug: true));

        var refused = deployment.Verify(quote);
        var allowed = deployment.Verify(quote, policy: new QuotePolicy { AllowSimulated = true, AllowDebug = true });

        QuoteAssert.FailedExactly(refused, QuoteCheckNames.PolicyDebug);
        Assert.Contains("DEBUG enclave", refused.FailureReason);
        Assert.True(refused.IsDebug);
        QuoteAssert.Valid(allowed);
    }

    [Fact]
    public void The_simulated_pck_certificate_is_checked_at_the_verification_time()
    {
        var result = deployment.Verify(deployment.BuildQuote(), at: SimulatedDeployment.Now.AddYears(2));

        Assert.Contains("is not valid at", QuoteAssert.Failed(result, QuoteCheckNames.PckChain).Detail);
    }

    [Fact]
    public void Tcb_collateral_is_ignored_for_a_simulated_quote()
    {
        var collateral = SgxTestData.CollateralA();
        var result = deployment.Verify(deployment.BuildQuote(), new QuoteCollateral
        {
            TcbInfoJson = collateral.TcbInfoJson,
            TcbInfoIssuerChainPem = collateral.TcbInfoIssuerChainPem,
            QeIdentityJson = collateral.QeIdentityJson,
            QeIdentityIssuerChainPem = collateral.QeIdentityIssuerChainPem,
        });

        QuoteAssert.Valid(result);
        Assert.Equal(TcbStatus.Simulated, result.TcbStatus);
    }

    [Fact]
    public void The_default_verifier_uses_the_system_clock()
    {
        var now = DateTimeOffset.UtcNow;
        var root = SimulationRoot.Create("now", now.AddMinutes(-5), now.AddYears(1));
        var pck = root.IssuePck("now", now.AddMinutes(-5), now.AddDays(1));
        using var key = System.Security.Cryptography.ECDsa.Create();
        key.ImportFromPem(pck.PrivateKeyPem);
        var quote = new SimulatedQuoteBuilder(key, pck.CertificateChainPem).Build(SimulatedDeployment.Report());
        using var trustRoot = root.LoadCertificate();

        var result = new QuoteVerifier().Verify(quote, trustRoot, policy: SimulatedDeployment.AllowSimulated);

        QuoteAssert.Valid(result);
        Assert.InRange(result.VerificationTime, now, now.AddMinutes(5));
    }
}
