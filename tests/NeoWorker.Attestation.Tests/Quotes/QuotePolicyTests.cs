using NeoWorker.Attestation.Quotes;

namespace NeoWorker.Attestation.Tests.Quotes;

/// <summary>A genuine quote must also be one of ours: allowed MRENCLAVE and MRSIGNER.</summary>
public sealed class QuotePolicyTests
{
    private const string MrEnclaveA = "33d8736db756ed4997e04ba358d27833188f1932ff7b1d156904d3f560452fbb";
    private const string MrSignerA = "815f42f11cf64430c30bab7816ba596a1da0130c3b028b673133a66cf9a3e0e6";
    private static readonly string Other = new('0', 64);

    private static QuoteVerificationResult VerifyA(QuotePolicy policy) =>
        SgxTestData.VerifyAt(SgxTestData.TimeA, SgxTestData.QuoteA, SgxTestData.CollateralA(), policy);

    [Fact]
    public void An_mrenclave_not_on_the_list_is_refused_naming_it()
    {
        var result = VerifyA(new QuotePolicy { AllowedMrEnclaves = [Other] });

        QuoteAssert.FailedExactly(result, QuoteCheckNames.PolicyMrEnclave);
        Assert.Contains($"MRENCLAVE {MrEnclaveA} is not one of the 1 allowed", result.FailureReason);
    }

    [Fact]
    public void An_mrenclave_on_the_list_is_accepted_in_any_case()
    {
        QuoteAssert.Valid(VerifyA(new QuotePolicy { AllowedMrEnclaves = [Other, MrEnclaveA.ToUpperInvariant()] }));
    }

    [Fact]
    public void An_mrsigner_not_on_the_list_is_refused_naming_it()
    {
        var result = VerifyA(new QuotePolicy { AllowedMrSigners = [Other] });

        QuoteAssert.FailedExactly(result, QuoteCheckNames.PolicyMrSigner);
        Assert.Contains($"MRSIGNER {MrSignerA}", result.FailureReason);
    }

    [Fact]
    public void An_mrsigner_on_the_list_is_accepted()
    {
        QuoteAssert.Valid(VerifyA(new QuotePolicy { AllowedMrSigners = [MrSignerA], AllowedMrEnclaves = [MrEnclaveA] }));
    }

    [Fact]
    public void Accepted_tcb_statuses_are_configurable()
    {
        var strict = VerifyA(new QuotePolicy { AcceptedTcbStatuses = new HashSet<TcbStatus> { TcbStatus.UpToDate, TcbStatus.SWHardeningNeeded } });
        var lenient = SgxTestData.VerifyAt(SgxTestData.TimeB2024, SgxTestData.QuoteB, SgxTestData.CollateralB2024(),
            new QuotePolicy { AcceptedTcbStatuses = new HashSet<TcbStatus> { TcbStatus.SWHardeningNeeded } });

        QuoteAssert.FailedExactly(strict, QuoteCheckNames.PolicyTcbStatus);
        QuoteAssert.Valid(lenient);
    }

    [Fact]
    public void The_default_policy_accepts_the_statuses_that_need_no_platform_update()
    {
        Assert.Equal(
            [TcbStatus.UpToDate, TcbStatus.SWHardeningNeeded, TcbStatus.ConfigurationAndSWHardeningNeeded],
            QuotePolicy.Default.AcceptedTcbStatuses.Order());
        Assert.False(QuotePolicy.Default.AllowDebug);
        Assert.False(QuotePolicy.Default.AllowSimulated);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("zz8736db756ed4997e04ba358d27833188f1932ff7b1d156904d3f560452fbb")]
    public void A_malformed_allow_list_entry_is_a_programmer_error(string entry)
    {
        Assert.Throws<ArgumentException>(() => VerifyA(new QuotePolicy { AllowedMrEnclaves = [entry] }));
    }
}
