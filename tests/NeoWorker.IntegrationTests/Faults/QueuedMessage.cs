namespace NeoWorker.IntegrationTests.Faults;

/// <summary>A message looked at in a queue: its headers as text, its size and the start of its body.</summary>
internal sealed record QueuedMessage(IReadOnlyDictionary<string, string> Headers, int BodyLength, string BodyStart)
{
    public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : "";
}
