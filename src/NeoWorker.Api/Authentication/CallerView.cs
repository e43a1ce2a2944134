namespace NeoWorker.Api.Authentication;

/// <summary>Who the presented key belongs to, for clients such as the dashboard.</summary>
public sealed record CallerView(string UserId, string Role);
