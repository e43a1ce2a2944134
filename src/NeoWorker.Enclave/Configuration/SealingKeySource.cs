namespace NeoWorker.Enclave.Configuration;

/// <summary>Where an enclave's runner gets the fleet's sealing private keys (<c>Tee:SealingKeySource</c>).</summary>
public enum SealingKeySource
{
    /// <summary>
    /// Key files on the host, <c>Tee:Simulation:SealingKeyFiles</c>, read by the simulation's runner. An Occlum enclave
    /// reads no host files, so on Occlum this means no sealing key at all (jobs with sealed secrets fail).
    /// </summary>
    Files,

    /// <summary>
    /// Released to each attested enclave (<c>Tee:KeyRelease</c>): the runner asks with a request bound to its evidence,
    /// an operator answers it (ops/release_sealing_key.sh), and the runner keeps the keys in its key store.
    /// </summary>
    Release,
}
