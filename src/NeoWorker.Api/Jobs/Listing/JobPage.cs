namespace NeoWorker.Api.Jobs.Listing;

/// <summary>A page of jobs, newest first; <c>nextCursor</c> is null on the last page.</summary>
public sealed record JobPage(IReadOnlyList<JobSummary> Items, string? NextCursor);
