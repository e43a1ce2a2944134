using System.Text.RegularExpressions;

namespace NeoWorker.Enclave.Tests;

/// <summary>One file of the escape corpus (EscapeCorpus/README.md) and what its headers say to expect.</summary>
internal sealed partial record EscapeAttempt(string Name, string Code, IReadOnlyList<(string Status, string? ErrorCode)> Expected, int TimeoutMs)
{
    public static string CorpusDirectory => Path.Combine(AppContext.BaseDirectory, "EscapeCorpus");

    public static string Prelude => Read("_prelude.js");

    public static string Victim => Read("_victim.js");

    public static string Pristine => Read("_pristine.js");

    public static IReadOnlyList<EscapeAttempt> All { get; } = Load();

    public static EscapeAttempt Named(string name) => All.Single(attempt => attempt.Name == name);

    /// <summary>The attempts' file names, as theory data.</summary>
    public static TheoryData<string> Names => [.. All.Select(attempt => attempt.Name)];

    /// <summary>The attempt's code with the prelude in front, as it is run.</summary>
    public string Job => Prelude + "\n" + Code;

    public bool Allows(EnclaveResult result) =>
        Expected.Any(e => e.Status == result.Status && (e.ErrorCode is null || e.ErrorCode == result.ErrorCode));

    public override string ToString() => Name;

    private static IReadOnlyList<EscapeAttempt> Load() =>
        [.. Directory.EnumerateFiles(CorpusDirectory, "*.js")
            .Where(path => !Path.GetFileName(path).StartsWith('_'))
            .Order(StringComparer.Ordinal)
            .Select(path =>
            {
                var code = File.ReadAllText(path);
                var expect = Header(code, "expect") ?? "Succeeded";
                var expected = expect.Split('|').Select(alternative =>
                {
                    var parts = alternative.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    return (parts[0], parts.Length > 1 ? parts[1] : null);
                }).ToList();
                var timeout = Header(code, "timeoutMs") is { } text ? int.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : 2000;
                return new EscapeAttempt(Path.GetFileName(path), code, expected, timeout);
            })];

    private static string? Header(string code, string key) =>
        HeaderPattern().Matches(code).FirstOrDefault(m => m.Groups[1].Value == key)?.Groups[2].Value.Trim();

    private static string Read(string name) => File.ReadAllText(Path.Combine(CorpusDirectory, name));

    [GeneratedRegex(@"^// (\w+): (.+)$", RegexOptions.Multiline)]
    private static partial Regex HeaderPattern();
}
