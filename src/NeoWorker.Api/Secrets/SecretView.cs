namespace NeoWorker.Api.Secrets;

/// <summary>What anyone ever gets back about a secret: its name and dates, never its value.</summary>
public sealed record SecretView(string Name, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
