using NeoWorker.Attestation.Quotes;

namespace NeoWorker.Attestation.Tests.Quotes;

internal static class QuoteAssert
{
    public static void Valid(QuoteVerificationResult result) =>
        Assert.True(result.IsValid, "expected a valid quote, got: " + string.Join("\n", result.Checks));

    /// <summary>Invalid, and exactly these checks failed.</summary>
    public static void FailedExactly(QuoteVerificationResult result, params string[] names)
    {
        Assert.False(result.IsValid);
        Assert.Equal(names.Order(), result.Failures.Select(c => c.Name).Order());
    }

    public static QuoteCheck Failed(QuoteVerificationResult result, string name)
    {
        Assert.False(result.IsValid);
        var check = result.Check(name);
        Assert.NotNull(check);
        Assert.True(check.Failed, $"expected {name} to fail: " + string.Join("\n", result.Checks));
        return check;
    }
}
