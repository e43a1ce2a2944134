namespace NeoWorker.Enclave.Protocol;

/// <summary>How to start one runner process; each backend builds its own.</summary>
internal sealed record RunnerStartInfo(
    string FileName,
    IReadOnlyList<string> Arguments,
    string WorkingDirectory,
    IReadOnlyDictionary<string, string> Environment);
