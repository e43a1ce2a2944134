using MassTransit;
using NeoWorker.Attestation.Proofs;
using NeoWorker.Attestation.Quotes;
using NeoWorker.Contracts;

namespace NeoWorker.IntegrationTests.Readme;

/// <summary>
/// The README's C# snippets, compiled: <see cref="ReadmeSnippetTests"/> checks that every line of every
/// ```csharp block of README.md appears here, in order, so a snippet that no longer compiles fails the build.
/// </summary>
internal static class ReadmeSnippets
{
    public static async Task PublishAsync(IBus bus)
    {
        await bus.Publish(new ExecuteJavaScript(
            JobId: Guid.NewGuid(),
            Code: "function main(input) { return { result: input.value * 2 }; }",
            Input: """{ "value": 42 }""",
            SealedSecrets: null,                 // or an envelope sealed to the fleet key, never plaintext
            FunctionId: "test_function",
            UserId: "billing-service",
            TimeoutMs: 5000,                     // optional; capped by Tee:Occlum:MaxExecutionTimeSeconds
            RequestedAt: DateTimeOffset.UtcNow));
    }

    // Subscribers consume JavaScriptExecutionCompleted (at least once; deduplicate by JobId):
    public sealed class CompletedConsumer : IConsumer<JavaScriptExecutionCompleted>
    {
        public Task Consume(ConsumeContext<JavaScriptExecutionCompleted> context)
        {
            var completed = context.Message; // Status, Result (JSON text), ErrorCode, Proof, …
            return Task.CompletedTask;
        }
    }

    public static string? Verify(JavaScriptExecutionCompleted completed, QuoteCollateral? collateral, string code, string input)
    {
        var trust = new ProofTrust(IntelSgx.LoadRootCa(), SimulationRoot: null, collateral, new QuotePolicy
        {
            AllowedMrEnclaves = ["<hex>"],           // the runner build you audited
            AllowSimulated = false,                  // true only against a deployment's simulation root
        });
        var verdict = new ExecutionProofVerifier().Verify(completed.Proof!, trust,
            new ProofExpectations(JobId: completed.JobId.ToString(), Code: code, Input: input, Result: completed.Result));
        if (!verdict.IsValid) Console.WriteLine(verdict.FailureReason);   // says which step failed and why
        return verdict.FailureReason;
    }
}
