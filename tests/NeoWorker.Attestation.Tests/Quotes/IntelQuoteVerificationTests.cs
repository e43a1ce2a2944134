using NeoWorker.Attestation.Quotes;

namespace NeoWorker.Attestation.Tests.Quotes;

/// <summary>The two genuine quotes with Intel's collateral, at the times their upstream tests pin (README §3, §4).</summary>
public sealed class IntelQuoteVerificationTests
{
    [Fact]
    public void Quote_a_is_valid_with_configuration_and_sw_hardening_needed_and_its_advisories()
    {
        var expected = SgxTestData.Json("a_dcap_qvl/expected.json").GetProperty("collateral").GetProperty("expected_result");

        var result = SgxTestData.VerifyAt(SgxTestData.TimeA, SgxTestData.QuoteA, SgxTestData.CollateralA());

        QuoteAssert.Valid(result);
        Assert.Equal(expected.GetProperty("status").GetString(), result.TcbStatus.ToString());
        Assert.Equal(TcbStatus.ConfigurationAndSWHardeningNeeded, result.TcbStatus);
        Assert.Equal(expected.GetProperty("advisory_ids").EnumerateArray().Select(e => e.GetString()), result.AdvisoryIds);
        Assert.False(result.IsSimulated);
        Assert.False(result.IsDebug);
        Assert.Equal("33d8736db756ed4997e04ba358d27833188f1932ff7b1d156904d3f560452fbb", result.MrEnclaveHex);
        Assert.Equal("815f42f11cf64430c30bab7816ba596a1da0130c3b028b673133a66cf9a3e0e6", result.MrSignerHex);
        Assert.StartsWith("Hello, world!", System.Text.Encoding.ASCII.GetString(result.ReportData.Span));
        Assert.Equal(SgxTestData.TimeA, result.VerificationTime);
    }

    [Fact]
    public void Every_step_of_quote_a_ran_and_passed()
    {
        var result = SgxTestData.VerifyAt(SgxTestData.TimeA, SgxTestData.QuoteA, SgxTestData.CollateralA());

        Assert.Equal(
            [
                QuoteCheckNames.Format, QuoteCheckNames.QeVendor, QuoteCheckNames.CertificationData, QuoteCheckNames.PckChain,
                QuoteCheckNames.PckCrl, QuoteCheckNames.RootCaCrl, QuoteCheckNames.QeReportSignature, QuoteCheckNames.QeReportBinding,
                QuoteCheckNames.IsvReportSignature, QuoteCheckNames.TcbInfoSigningChain, QuoteCheckNames.TcbInfoSignature,
                QuoteCheckNames.TcbInfoValidity, QuoteCheckNames.TcbInfoPlatform, QuoteCheckNames.TcbLevel,
                QuoteCheckNames.QeIdentitySigningChain, QuoteCheckNames.QeIdentitySignature, QuoteCheckNames.QeIdentityValidity,
                QuoteCheckNames.QeIdentityMatch, QuoteCheckNames.QeTcbLevel, QuoteCheckNames.PolicySimulated,
                QuoteCheckNames.PolicyTcbStatus, QuoteCheckNames.PolicyDebug, QuoteCheckNames.PolicyMrEnclave, QuoteCheckNames.PolicyMrSigner,
            ],
            result.Checks.Select(c => c.Name));
        Assert.All(result.Checks, c => Assert.Equal(QuoteCheckOutcome.Passed, c.Outcome));
        Assert.Null(result.FailureReason);
    }

    [Fact]
    public void Quote_a_is_valid_at_the_midpoint_dcap_qvl_mobile_uses()
    {
        var result = SgxTestData.VerifyAt(DateTimeOffset.FromUnixTimeSeconds(1751624924), SgxTestData.QuoteA, SgxTestData.CollateralA());

        QuoteAssert.Valid(result);
    }

    [Fact]
    public void The_dcap_qvl_collateral_shape_gives_the_same_result()
    {
        var collateral = QuoteCollateral.FromDcapQvlJson(SgxTestData.Text("a_dcap_qvl/collateral.dcap-qvl.json"));

        var result = SgxTestData.VerifyAt(SgxTestData.TimeA, SgxTestData.QuoteA, collateral);

        QuoteAssert.Valid(result);
        Assert.Equal(TcbStatus.ConfigurationAndSWHardeningNeeded, result.TcbStatus);
        Assert.Equal(["INTEL-SA-00289", "INTEL-SA-00615"], result.AdvisoryIds);
    }

    [Fact]
    public void Quote_b_with_the_2024_tcb_info_v2_is_sw_hardening_needed()
    {
        var result = SgxTestData.VerifyAt(SgxTestData.TimeB2024, SgxTestData.QuoteB, SgxTestData.CollateralB2024());

        QuoteAssert.Valid(result);
        Assert.Equal(TcbStatus.SWHardeningNeeded, result.TcbStatus);
        Assert.Empty(result.AdvisoryIds); // TCB Info v2 has no advisory IDs
        Assert.Contains("12,12,3,3,255,255,1,0", result.Check(QuoteCheckNames.TcbLevel)!.Detail.Replace(" ", ""));
    }

    [Fact]
    public void Quote_b_with_the_2025_tcb_info_v3_verifies_as_sw_hardening_needed_with_sa_00615()
    {
        var result = SgxTestData.VerifyAt(SgxTestData.TimeB2025, SgxTestData.QuoteB, SgxTestData.CollateralB2025());

        QuoteAssert.Valid(result);
        Assert.Equal(TcbStatus.SWHardeningNeeded, result.TcbStatus);
        Assert.Equal(["INTEL-SA-00615"], result.AdvisoryIds);
    }

    [Fact]
    public void Quote_b_is_checked_against_the_platform_crl_with_44_revoked_serials()
    {
        var result = SgxTestData.VerifyAt(SgxTestData.TimeB2024, SgxTestData.QuoteB, SgxTestData.CollateralB2024());

        var crl = result.Check(QuoteCheckNames.PckCrl)!;
        Assert.True(crl.Passed);
        Assert.Contains("44 revoked serials", crl.Detail);
        Assert.Contains("D52864CBB1CEFA9DE768485947EBDC026799B496", crl.Detail);
    }

    [Fact]
    public void Without_collateral_the_tcb_is_not_evaluated_and_the_default_policy_refuses()
    {
        var result = SgxTestData.VerifyAt(SgxTestData.TimeA, SgxTestData.QuoteA, collateral: null);

        var check = QuoteAssert.Failed(result, QuoteCheckNames.PolicyTcbStatus);
        QuoteAssert.FailedExactly(result, QuoteCheckNames.PolicyTcbStatus);
        Assert.Equal(TcbStatus.NotEvaluated, result.TcbStatus);
        Assert.Contains("not evaluated", check.Detail);
        Assert.Equal(QuoteCheckOutcome.Skipped, result.Check(QuoteCheckNames.PckCrl)!.Outcome);
        Assert.Equal(QuoteCheckOutcome.Skipped, result.Check(QuoteCheckNames.TcbLevel)!.Outcome);
    }

    [Fact]
    public void Without_collateral_a_policy_that_accepts_not_evaluated_checks_signatures_and_chain_only()
    {
        var policy = new QuotePolicy { AcceptedTcbStatuses = new HashSet<TcbStatus> { TcbStatus.NotEvaluated } };

        var result = SgxTestData.VerifyAt(SgxTestData.TimeA, SgxTestData.QuoteA, collateral: null, policy);

        QuoteAssert.Valid(result);
    }

    [Fact]
    public void A_tcb_status_outside_the_accepted_set_is_refused_naming_it()
    {
        var policy = new QuotePolicy { AcceptedTcbStatuses = new HashSet<TcbStatus> { TcbStatus.UpToDate } };

        var result = SgxTestData.VerifyAt(SgxTestData.TimeA, SgxTestData.QuoteA, SgxTestData.CollateralA(), policy);

        QuoteAssert.FailedExactly(result, QuoteCheckNames.PolicyTcbStatus);
        Assert.Contains("ConfigurationAndSWHardeningNeeded is not accepted", result.FailureReason);
        Assert.Equal(TcbStatus.ConfigurationAndSWHardeningNeeded, result.TcbStatus);
    }

    [Fact]
    public void Bytes_that_are_not_a_quote_give_an_invalid_result_not_an_exception()
    {
        var result = SgxTestData.VerifyAt(SgxTestData.TimeA, [1, 2, 3], SgxTestData.CollateralA());

        QuoteAssert.FailedExactly(result, QuoteCheckNames.Format);
        Assert.Null(result.Quote);
        Assert.Null(result.MrEnclaveHex);
    }
}
