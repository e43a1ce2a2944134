using System.Text.RegularExpressions;

namespace NeoWorker.Api.Secrets;

/// <summary>What a named secret may be called.</summary>
public static partial class SecretNames
{
    public const int MaxPerJob = 32;
    public const string Rule = "1-64 characters of letters, digits, '_', '-' or '.'";

    public static bool IsValid(string? name) => name is not null && Pattern().IsMatch(name);

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$")]
    private static partial Regex Pattern();
}
