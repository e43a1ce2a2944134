namespace NeoWorker.IntegrationTests.Faults;

/// <summary>
/// The fault tests stop PostgreSQL and RabbitMQ and kill processes, so they must never run beside other
/// tests: xunit runs a collection with DisableParallelization alone, after all the parallel ones, and its
/// classes one after another. ops/test.sh runs them as a step of their own (trait Category=Faults).
/// </summary>
[CollectionDefinition(nameof(FaultsCollection), DisableParallelization = true)]
public sealed class FaultsCollection : ICollectionFixture<FaultFixture>
{
    public const string Category = "Faults";
}
