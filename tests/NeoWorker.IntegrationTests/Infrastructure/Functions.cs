namespace NeoWorker.IntegrationTests.Infrastructure;

/// <summary>Job code used across the tests.</summary>
internal static class Functions
{
    public const string Seed = "function main(input) { return { result: input.value * 2 }; }";
    public const string SeedInput = "{ \"value\": 42 }";
    public const string Async = "async function main(input) { await null; return { doubled: input.value * 2, kind: 'async' }; }";
    public const string Logging = "function main(input) { console.log('hello', input.value); console.log({ a: 1 }); return 1; }";
    public const string Throwing = "function main() { throw new Error('boom from the function'); }";
    public const string Broken = "function main( { return 1; ";
    public const string InfiniteLoop = "function main() { while (true) {} }";
    public const string MemoryBomb = "function main() { const hoard = []; while (true) { hoard.push(new Array(1e6).fill(1.5)); } }";
    public const string Random = "function main() { return { nonce: Math.random() }; }";
}
