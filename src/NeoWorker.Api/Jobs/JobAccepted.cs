namespace NeoWorker.Api.Jobs;

/// <summary>The 202 body: where to poll.</summary>
public sealed record JobAccepted(Guid JobId, string Status, string StatusUrl);
