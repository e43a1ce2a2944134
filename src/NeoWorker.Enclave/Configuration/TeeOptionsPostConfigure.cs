using Microsoft.Extensions.Options;

namespace NeoWorker.Enclave.Configuration;

/// <summary>The seed's <c>OCCLUM_SIMULATION=1</c> forces SGX simulation mode whatever the configuration says.</summary>
internal sealed class TeeOptionsPostConfigure : IPostConfigureOptions<TeeOptions>
{
    public void PostConfigure(string? name, TeeOptions options)
    {
        if (Environment.GetEnvironmentVariable("OCCLUM_SIMULATION") == "1")
        {
            options.SimulationMode = true;
        }
    }
}
