using System.Globalization;
using System.Text;

namespace NeoWorker.Benchmarks.Scenarios;

/// <summary>The functions the scenarios run, their inputs and the results they must return.</summary>
internal static class Functions
{
    /// <summary>The seed document's example function.</summary>
    public const string Seed = "function main(input) { return { result: input.value * 2 }; }";

    public static string SeedInput(int i) => $"{{\"value\":{i}}}";

    public static string SeedResult(int i) => $"{{\"result\":{2L * i}}}";

    /// <summary>Integer arithmetic that stays exact in doubles, so the result can be checked here.</summary>
    public const string CpuHeavy = """
        function main(input) {
          let x = input.seed;
          for (let i = 0; i < input.iterations; i++) { x = (x * 31 + i) % 1000003; }
          return { x };
        }
        """;

    public static string CpuHeavyInput(int seed, long iterations) =>
        string.Create(CultureInfo.InvariantCulture, $"{{\"seed\":{seed},\"iterations\":{iterations}}}");

    public static string CpuHeavyResult(int seed, long iterations)
    {
        long x = seed;
        for (long i = 0; i < iterations; i++)
        {
            x = ((x * 31) + i) % 1000003;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{{\"x\":{x}}}");
    }

    public const string LargeInput = """
        function main(input) {
          let sum = 0;
          for (const v of input.values) sum += v;
          return { count: input.values.length, sum };
        }
        """;

    /// <summary>Bytes of the large input: 1 MB, under the default Tee:Limits:MaxInputBytes (1 MiB).</summary>
    public const int LargeInputBytes = 1_000_000;

    /// <summary>{"values":[seed,1,2,3,…]} of just under <see cref="LargeInputBytes"/> bytes, and the result it must give.</summary>
    public static (string Input, string Result) LargeInputFor(int seed)
    {
        var text = new StringBuilder(LargeInputBytes);
        text.Append("{\"values\":[").Append(seed);
        long sum = seed;
        var count = 1;
        for (var v = 1; ; v++)
        {
            var item = v.ToString(CultureInfo.InvariantCulture);
            if (text.Length + item.Length + 3 > LargeInputBytes)
            {
                break;
            }

            text.Append(',').Append(item);
            sum += v;
            count++;
        }

        text.Append("]}");
        return (text.ToString(), string.Create(CultureInfo.InvariantCulture, $"{{\"count\":{count},\"sum\":{sum}}}"));
    }
}
