namespace NeoWorker.Enclave.Metrics;

/// <summary>What the gauges read from one enclave; read from the metrics thread, so both are cheap and lock-free.</summary>
internal interface IObservedEnclave
{
    bool IsAlive { get; }

    bool IsBusy { get; }
}
