namespace NeoWorker.Enclave.Tests;

/// <summary>The two ways an enclave's runner is started; tests that take one run through both.</summary>
public enum Backend
{
    /// <summary>The host's Node.js runs the runner (<c>SimulationRunnerLauncher</c>).</summary>
    Simulation,

    /// <summary><c>occlum run</c> in a per-slot instance copy, with the stand-in <c>FakeOcclum/occlum</c> (<c>OcclumRunnerLauncher</c>).</summary>
    Occlum,
}
