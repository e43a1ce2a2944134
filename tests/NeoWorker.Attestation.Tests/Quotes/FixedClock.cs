namespace NeoWorker.Attestation.Tests.Quotes;

/// <summary>A clock stopped at one instant: verification time is an input, so tests pin it.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
