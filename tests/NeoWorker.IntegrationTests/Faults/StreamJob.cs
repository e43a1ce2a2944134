namespace NeoWorker.IntegrationTests.Faults;

/// <summary>One job of a stream as the client knows it: its id, the tag it put in the input, how it was submitted.</summary>
internal sealed record StreamJob(Guid JobId, string Tag, int Value, bool ViaApi, bool Fails, int BusyMs)
{
    /// <summary>
    /// Every stream job runs this function. It returns the tag its input carries, so a result can be matched to
    /// its job (never another's), and a random nonce, so two executions of one job can never give the same
    /// result: one result everywhere (row and every event) means one execution's output was kept.
    /// </summary>
    public const string Code = """
        function main(input) {
          if (input.busyMs) { const end = Date.now() + input.busyMs; while (Date.now() < end) {} }
          if (input.fail) { throw new Error('planned failure ' + input.tag); }
          return { tag: input.tag, doubled: input.value * 2, nonce: Math.random() };
        }
        """;

    public string Input => $$"""{"tag":"{{Tag}}","value":{{Value}},"fail":{{(Fails ? "true" : "false")}},"busyMs":{{BusyMs}}}""";
}
