namespace NeoWorker.Enclave.Configuration;

/// <summary>The enclave backend: real Occlum on SGX, or the same runner on the host.</summary>
public enum TeeType
{
    Simulation,
    Occlum,
}
