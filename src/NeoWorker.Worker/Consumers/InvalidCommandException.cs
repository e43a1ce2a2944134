namespace NeoWorker.Worker.Consumers;

/// <summary>A command that can never be processed; retrying it is pointless.</summary>
public sealed class InvalidCommandException(string message) : Exception(message);
