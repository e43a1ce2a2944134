namespace NeoWorker.IntegrationTests.Infrastructure;

/// <summary>All integration tests share one set of services; xunit runs the collection's classes one after another.</summary>
[CollectionDefinition(nameof(ServicesCollection))]
public sealed class ServicesCollection : ICollectionFixture<ServicesFixture>;
