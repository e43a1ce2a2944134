using NeoWorker.Attestation.Quotes;

namespace NeoWorker.Attestation.Tests.Quotes;

/// <summary>
/// Certificates, CRLs, TCB Info and QE Identity are checked at the verifier's clock. The README's §3 windows are the
/// intersection of all of them; outside, verification fails and says which one ran out.
/// </summary>
public sealed class VerificationTimeTests
{
    [Fact]
    public void Quote_a_is_valid_at_both_ends_of_its_window()
    {
        QuoteAssert.Valid(SgxTestData.VerifyAt(SgxTestData.WindowStartA, SgxTestData.QuoteA, SgxTestData.CollateralA()));
        QuoteAssert.Valid(SgxTestData.VerifyAt(SgxTestData.WindowEndA, SgxTestData.QuoteA, SgxTestData.CollateralA()));
    }

    [Fact]
    public void One_second_after_the_window_the_qe_identity_is_stale()
    {
        var result = SgxTestData.VerifyAt(SgxTestData.WindowEndA.AddSeconds(1), SgxTestData.QuoteA, SgxTestData.CollateralA());

        QuoteAssert.FailedExactly(result, QuoteCheckNames.QeIdentityValidity);
        Assert.Contains("QE Identity is stale at 2025-07-19T10:01:19Z", result.FailureReason);
        Assert.Contains("next update 2025-07-19T10:01:18Z", result.FailureReason);
    }

    [Fact]
    public void One_second_before_the_window_the_tcb_info_is_not_yet_issued()
    {
        var result = SgxTestData.VerifyAt(SgxTestData.WindowStartA.AddSeconds(-1), SgxTestData.QuoteA, SgxTestData.CollateralA());

        QuoteAssert.FailedExactly(result, QuoteCheckNames.TcbInfoValidity);
        Assert.Contains("TCB Info v3 (evaluation data number 17) is not yet issued at 2025-06-19T10:56:10Z", result.FailureReason);
    }

    [Fact]
    public void At_the_real_current_time_every_set_fails_freshness()
    {
        var now = DateTimeOffset.UtcNow;
        Assert.True(now > SgxTestData.WindowEndA, "this test assumes the collateral has gone stale");

        var a = SgxTestData.VerifyAt(now, SgxTestData.QuoteA, SgxTestData.CollateralA());
        var b2025 = SgxTestData.VerifyAt(now, SgxTestData.QuoteB, SgxTestData.CollateralB2025());

        foreach (var result in new[] { a, b2025 })
        {
            QuoteAssert.Failed(result, QuoteCheckNames.TcbInfoValidity);
            QuoteAssert.Failed(result, QuoteCheckNames.QeIdentityValidity);
            QuoteAssert.Failed(result, QuoteCheckNames.PckCrl);
            Assert.True(result.Check(QuoteCheckNames.PckChain)!.Passed); // the PCK certificates themselves are still valid
        }
    }

    [Fact]
    public void The_2024_collateral_at_the_2025_time_also_fails_because_its_tcb_signing_certificate_expired()
    {
        var result = SgxTestData.VerifyAt(SgxTestData.TimeB2025, SgxTestData.QuoteB, SgxTestData.CollateralB2024());

        var chain = QuoteAssert.Failed(result, QuoteCheckNames.TcbInfoSigningChain);
        Assert.Contains("'Intel SGX TCB Signing' is not valid at 2025-08-15T05:45:00Z (valid 2018-05-21T10:50:10Z to 2025-05-21T10:50:10Z)", chain.Detail);
        QuoteAssert.Failed(result, QuoteCheckNames.QeIdentitySigningChain);
        QuoteAssert.Failed(result, QuoteCheckNames.TcbInfoValidity);
        QuoteAssert.Failed(result, QuoteCheckNames.QeIdentityValidity);
        QuoteAssert.Failed(result, QuoteCheckNames.PckCrl);
        QuoteAssert.Failed(result, QuoteCheckNames.RootCaCrl);
        Assert.Equal(TcbStatus.NotEvaluated, result.TcbStatus); // no status from collateral whose signer is not valid
    }

    [Fact]
    public void The_2025_collateral_at_the_2024_time_is_not_yet_issued()
    {
        var result = SgxTestData.VerifyAt(SgxTestData.TimeB2024, SgxTestData.QuoteB, SgxTestData.CollateralB2025());

        Assert.Contains("not yet issued at 2024-06-27T14:00:00Z", QuoteAssert.Failed(result, QuoteCheckNames.TcbInfoValidity).Detail);
        Assert.Contains("not yet issued", QuoteAssert.Failed(result, QuoteCheckNames.QeIdentityValidity).Detail);
        Assert.Contains("not current", QuoteAssert.Failed(result, QuoteCheckNames.PckCrl).Detail);
        // The re-issued TCB Signing certificate (same serial, new validity) did not exist yet either.
        Assert.Contains("is not valid at 2024-06-27T14:00:00Z", QuoteAssert.Failed(result, QuoteCheckNames.TcbInfoSigningChain).Detail);
    }

    [Fact]
    public void After_the_pck_certificate_expires_the_chain_fails_even_without_collateral()
    {
        var policy = new QuotePolicy { AcceptedTcbStatuses = new HashSet<TcbStatus> { TcbStatus.NotEvaluated } };

        var result = SgxTestData.VerifyAt(DateTimeOffset.Parse("2031-03-08T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
            SgxTestData.QuoteB, collateral: null, policy);

        var chain = QuoteAssert.Failed(result, QuoteCheckNames.PckChain);
        QuoteAssert.FailedExactly(result, QuoteCheckNames.PckChain);
        Assert.Contains("'Intel SGX PCK Certificate' is not valid at 2031-03-08T00:00:00Z (valid 2024-03-07T15:01:04Z to 2031-03-07T15:01:04Z)", chain.Detail);
    }

    [Fact]
    public void Before_the_pck_certificate_was_issued_the_chain_fails()
    {
        var policy = new QuotePolicy { AcceptedTcbStatuses = new HashSet<TcbStatus> { TcbStatus.NotEvaluated } };

        var result = SgxTestData.VerifyAt(DateTimeOffset.Parse("2023-09-20T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
            SgxTestData.QuoteA, collateral: null, policy);

        QuoteAssert.FailedExactly(result, QuoteCheckNames.PckChain);
    }

    [Theory]
    [InlineData("2024", 1719494258L, 1720866067L)]
    [InlineData("2025", 1755236486L, 1757824606L)]
    public void Quote_b_is_valid_exactly_within_each_collateral_window(string collateral, long start, long end)
    {
        var set = collateral == "2024" ? SgxTestData.CollateralB2024() : SgxTestData.CollateralB2025();
        QuoteVerificationResult At(long unix) => SgxTestData.VerifyAt(DateTimeOffset.FromUnixTimeSeconds(unix), SgxTestData.QuoteB, set);

        QuoteAssert.Valid(At(start));
        QuoteAssert.Valid(At(end));
        QuoteAssert.FailedExactly(At(start - 1), QuoteCheckNames.PckCrl); // the Platform CRL's thisUpdate opens the window
        QuoteAssert.FailedExactly(At(end + 1), QuoteCheckNames.QeIdentityValidity); // the QE Identity's nextUpdate closes it
    }
}
