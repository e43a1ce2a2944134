namespace NeoWorker.IntegrationTests.Faults;

/// <summary>One row of the README's fault table.</summary>
/// <param name="ReExecutedLostOutputs">Jobs run again because the worker that ran them died before storing the output (nothing had seen it).</param>
/// <param name="Interrupted">Jobs running when the fault began that had not finished when it ended.</param>
/// <param name="Recovery">From the end of the fault until the last interrupted job was stored finished; without one, until the next job was.</param>
/// <param name="LongestGap">The longest time the subscriber received no completion event while the stream was processed.</param>
internal sealed record FaultFigures(
    string Fault,
    int Submitted,
    int Retries,
    int Lost,
    int DuplicatedExecutions,
    int ReExecutedLostOutputs,
    int Interrupted,
    TimeSpan Recovery,
    TimeSpan LongestGap,
    TimeSpan Total);
