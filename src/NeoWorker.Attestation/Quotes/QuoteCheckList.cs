namespace NeoWorker.Attestation.Quotes;

/// <summary>Collects the checks of one verification in the order they run.</summary>
internal sealed class QuoteCheckList
{
    private readonly List<QuoteCheck> checks = [];

    public IReadOnlyList<QuoteCheck> Items => checks;

    public void Pass(string name, string detail) => checks.Add(new QuoteCheck(name, QuoteCheckOutcome.Passed, detail));

    public void Fail(string name, string detail) => checks.Add(new QuoteCheck(name, QuoteCheckOutcome.Failed, detail));

    public void Skip(string name, string detail) => checks.Add(new QuoteCheck(name, QuoteCheckOutcome.Skipped, detail));

    /// <summary>Adds a passed or failed check and returns whether it passed.</summary>
    public bool Add(string name, bool passed, string detail)
    {
        checks.Add(new QuoteCheck(name, passed ? QuoteCheckOutcome.Passed : QuoteCheckOutcome.Failed, detail));
        return passed;
    }
}
