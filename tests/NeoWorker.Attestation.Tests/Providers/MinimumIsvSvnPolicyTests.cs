using NeoWorker.Attestation.Quotes;
using NeoWorker.Attestation.Tests.Quotes;

namespace NeoWorker.Attestation.Tests.Providers;

/// <summary><see cref="QuotePolicy.MinimumIsvSvn"/>: the real quote A has ISV SVN 0; the simulated one says what it was given.</summary>
public sealed class MinimumIsvSvnPolicyTests
{
    private static QuoteVerificationResult VerifyA(ushort? minimum) =>
        SgxTestData.VerifyAt(SgxTestData.TimeA, SgxTestData.QuoteA, SgxTestData.CollateralA(), new QuotePolicy { MinimumIsvSvn = minimum });

    [Fact]
    public void Without_a_minimum_there_is_no_check()
    {
        var result = VerifyA(null);

        QuoteAssert.Valid(result);
        Assert.Null(result.Check(QuoteVerifier.PolicyMinimumIsvSvnCheck));
        Assert.Null(QuotePolicy.Default.MinimumIsvSvn);
    }

    [Fact]
    public void A_quote_at_the_minimum_passes()
    {
        var result = VerifyA(0);

        QuoteAssert.Valid(result);
        var check = result.Check(QuoteVerifier.PolicyMinimumIsvSvnCheck);
        Assert.NotNull(check);
        Assert.Equal(QuoteCheckOutcome.Passed, check.Outcome);
        Assert.Equal("policy-isvsvn", check.Name);
        Assert.Equal(QuoteCheckNames.PolicyMrSigner, result.Checks[^2].Name);
    }

    [Fact]
    public void A_quote_below_the_minimum_is_refused_naming_both_values()
    {
        var result = VerifyA(1);

        QuoteAssert.FailedExactly(result, QuoteVerifier.PolicyMinimumIsvSvnCheck);
        Assert.Contains("ISV SVN 0 is lower than the policy's minimum ISV SVN 1", result.FailureReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3, true)]
    [InlineData(4, false)]
    public void A_simulated_quote_is_held_to_the_same_minimum(ushort minimum, bool accepted)
    {
        var deployment = SimulatedDeployment.Create();
        var quote = deployment.BuildQuote(); // ISV SVN 3

        var result = deployment.Verify(quote, policy: new QuotePolicy { AllowSimulated = true, MinimumIsvSvn = minimum });

        Assert.Equal(accepted, result.IsValid);
        if (!accepted)
        {
            QuoteAssert.FailedExactly(result, "policy-isvsvn");
            Assert.Contains("ISV SVN 3 is lower than the policy's minimum ISV SVN 4", result.FailureReason, StringComparison.Ordinal);
        }
    }
}
