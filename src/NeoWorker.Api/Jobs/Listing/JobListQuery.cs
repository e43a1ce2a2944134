namespace NeoWorker.Api.Jobs.Listing;

/// <summary>
/// The query string of <c>GET /api/v1/jobs</c>, taken as text so that every bad value is answered
/// with a problem naming its parameter (<see cref="JobListFilter.TryParse"/>).
/// </summary>
public sealed record JobListQuery(string? Status, string? FunctionId, string? UserId, string? From, string? To, string? Limit, string? Cursor);
