namespace NeoWorker.Api.Dashboard;

/// <summary>One file of the dashboard, read once from the assembly; its ETag is its content's SHA-256.</summary>
internal sealed record DashboardAsset(string Name, string ContentType, byte[] Content, string ETag);
