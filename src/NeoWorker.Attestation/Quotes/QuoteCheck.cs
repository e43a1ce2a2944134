namespace NeoWorker.Attestation.Quotes;

/// <summary>One step of quote verification and what it found. <see cref="Name"/> is one of <see cref="QuoteCheckNames"/>.</summary>
public sealed record QuoteCheck(string Name, QuoteCheckOutcome Outcome, string Detail)
{
    public bool Passed => Outcome == QuoteCheckOutcome.Passed;

    public bool Failed => Outcome == QuoteCheckOutcome.Failed;

    public override string ToString() => $"{Name}: {Outcome} — {Detail}";
}
