using NeoWorker.Contracts;

namespace NeoWorker.Worker.Consumers;

/// <summary>What makes a command impossible to record, however often it is retried.</summary>
internal static class CommandCheck
{
    /// <summary>The length of <c>jobs.function_id</c> and <c>jobs.user_id</c>.</summary>
    public const int MaxIdLength = 128;

    /// <param name="bodyBytes">The message body's size on the wire, when known.</param>
    /// <returns>Why the command is refused, or null when it can be recorded.</returns>
    public static string? Problem(ExecuteJavaScript command, long? bodyBytes, int maxCommandBytes)
    {
        if (bodyBytes > maxCommandBytes)
        {
            return $"The command body is {bodyBytes} bytes, more than Worker:MaxCommandBytes ({maxCommandBytes}).";
        }

        if (command.JobId == Guid.Empty)
        {
            return "ExecuteJavaScript.JobId is missing or empty.";
        }

        if (command.FunctionId is { Length: > MaxIdLength } || command.UserId is { Length: > MaxIdLength })
        {
            return $"ExecuteJavaScript.FunctionId and UserId must be at most {MaxIdLength} characters.";
        }

        return null;
    }
}
