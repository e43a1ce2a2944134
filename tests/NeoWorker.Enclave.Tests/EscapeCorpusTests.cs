using System.Text.RegularExpressions;
using NeoWorker.Contracts;

namespace NeoWorker.Enclave.Tests;

/// <summary>
/// The escape corpus (EscapeCorpus/README.md) through a real runner process in both backends: every attempt runs
/// right after another user's job that left its secret behind, obtains nothing of the host, and is followed by a
/// job that sees pristine globals, in the same enclave. One class per backend, so the two run side by side.
/// </summary>
public abstract partial class EscapeCorpusTests(Backend backend, EscapeCorpusFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public void The_corpus_has_an_attempt_for_every_escape_family_the_issue_names()
    {
        string[] families = ["constructor-chains", "global-object", "stack-frames", "proxy-result", "proxy-error", "symbol-hooks",
            "tojson-getters", "dynamic-import", "webassembly", "shared-memory-atomics", "atomics-wait-async", "prototype-pollution",
            "cross-job-secrets", "enclave-keys"];

        Assert.All(families, family => Assert.Contains(EscapeAttempt.All, attempt => attempt.Name.StartsWith(family, StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(EscapeAttempt.Names), MemberType = typeof(EscapeAttempt))]
    public async Task An_escape_attempt_obtains_nothing_of_the_host_and_the_next_job_sees_pristine_globals(string attemptName)
    {
        var attempt = EscapeAttempt.Named(attemptName);
        fixture.Logger.Output = output;
        var (enclave, baseline) = await fixture.EnclaveAsync(backend);

        var victim = await enclave.RunAsync(new EnclaveJob($"victim-{Guid.NewGuid():N}", EscapeAttempt.Victim, null,
            fixture.Keys.Seal($$"""{"token":"{{fixture.Secret}}"}""", "victim", "victim-function"), null, "victim", "victim-function", 2000));
        Assert.Equal("\"stashed\"", victim.Result);

        var logged = fixture.Logger.Lines.Count;
        var outcome = await enclave.RunAsync(new EnclaveJob($"attempt-{Guid.NewGuid():N}", attempt.Job, null, null, null,
            "attacker", "escape-" + attempt.Name, attempt.TimeoutMs));
        var hostLog = string.Join('\n', fixture.Logger.Lines.Skip(logged));
        output.WriteLine($"{attempt.Name}: {outcome.Status} {outcome.ErrorCode} {outcome.Error}");

        Assert.True(attempt.Allows(outcome), $"{attempt.Name} ended {outcome.Status} {outcome.ErrorCode}: {outcome.Error}; logs: {outcome.Logs}");
        var text = string.Join('\n', outcome.Result, outcome.Error, outcome.Logs);
        Assert.Matches(ProbesRan(), text);
        foreach (var (what, marker) in fixture.Markers)
        {
            Assert.False(text.Contains(marker, StringComparison.Ordinal), $"{what} in the outcome of {attempt.Name}: {Around(text, marker)}");
            Assert.False(hostLog.Contains(marker, StringComparison.Ordinal), $"{what} in the enclave's log during {attempt.Name}: {Around(hostLog, marker)}");
        }

        // Nothing of the attempt keeps running: a thread the runner could not stop made it end itself, and the
        // enclave replaced it. (Tearing down a large isolate takes a moment; a spinning thread takes for ever.)
        // Only a job that was stopped can leave a thread behind.
        if (outcome.Status != JobStatuses.Succeeded)
        {
            var pid = enclave.ProcessId;
            Assert.True(await RunnerProcesses.GoesQuietAsync(pid, TimeSpan.FromSeconds(5)), $"the runner {pid} kept using CPU after {attempt.Name}");
        }

        var pristine = await enclave.RunAsync(EscapeAttempt.Pristine, timeoutMs: 5000);
        Assert.True(pristine.Status == JobStatuses.Succeeded, $"the job after {attempt.Name}: {pristine.Status} {pristine.ErrorCode} {pristine.Error}");
        Assert.Equal(baseline, pristine.Result);
    }

    private static string Around(string text, string marker)
    {
        var at = text.IndexOf(marker, StringComparison.Ordinal);
        return text[Math.Max(0, at - 300)..Math.Min(text.Length, at + marker.Length + 300)];
    }

    // The report's probe count, or the checkpoint line of an attempt that ends without a result.
    [GeneratedRegex("""probes(\\?")?:\s*[1-9]|probes ran: [1-9]""")]
    private static partial Regex ProbesRan();
}

public sealed class SimulationEscapeCorpusTests(EscapeCorpusFixture fixture, ITestOutputHelper output)
    : EscapeCorpusTests(Backend.Simulation, fixture, output), IClassFixture<EscapeCorpusFixture>;

public sealed class OcclumEscapeCorpusTests(EscapeCorpusFixture fixture, ITestOutputHelper output)
    : EscapeCorpusTests(Backend.Occlum, fixture, output), IClassFixture<EscapeCorpusFixture>;
