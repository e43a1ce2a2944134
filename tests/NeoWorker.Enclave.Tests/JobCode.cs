namespace NeoWorker.Enclave.Tests;

/// <summary>Job code used across the tests.</summary>
internal static class JobCode
{
    /// <summary>The seed's example function; with input <see cref="SeedInput"/> it returns <c>{"result":84}</c>.</summary>
    public const string Seed = "function main(input) { return { result: input.value * 2 }; }";

    public const string SeedInput = """{ "value": 42 }""";

    public const string SeedResult = """{"result":84}""";

    public const string InfiniteLoop = "function main() { while (true) {} }";

    public const string MemoryBomb = "function main() { const hoard = []; while (true) hoard.push(new Array(100000).fill(1)); }";

    public const string Throws = "function main() { throw new Error('the function gave up'); }";

    public const string BrokenSyntax = "function main( { return 1; }";

    public const string TypeOfProcess = "function main() { return typeof process; }";
}
