using NeoWorker.Attestation;
using NeoWorker.Contracts;
using NeoWorker.Persistence;
using NeoWorker.Persistence.Entities;

namespace NeoWorker.Worker.Jobs;

/// <summary>The job row a command stands for, as the worker records it when the command arrives without one.</summary>
internal static class CommandJobs
{
    public static Job NewJob(ExecuteJavaScript command, string? correlationId, DateTimeOffset now) => new()
    {
        Id = command.JobId,
        FunctionId = command.FunctionId ?? "",
        UserId = command.UserId ?? "",
        Code = command.Code ?? "",
        CodeSha256 = ContentHash.Sha256Hex(command.Code ?? ""),
        Input = command.Input,
        SealedSecrets = command.SealedSecrets,
        SealedNamedSecrets = NamedSecretsJson.Write(command.SealedNamedSecrets),
        TimeoutMs = command.TimeoutMs,
        CorrelationId = correlationId,
        RequestedAt = DatabaseClock.Truncate(command.RequestedAt == default ? now : command.RequestedAt.ToUniversalTime()),
        CreatedAt = now,
        DispatchedAt = now,
    };
}
