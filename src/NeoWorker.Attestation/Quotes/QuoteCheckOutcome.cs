namespace NeoWorker.Attestation.Quotes;

public enum QuoteCheckOutcome
{
    Passed,
    Failed,

    /// <summary>Not applicable or not possible with what was supplied (e.g. no CRL given); the detail says which.</summary>
    Skipped,
}
