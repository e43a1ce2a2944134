namespace NeoWorker.Attestation.Providers;

/// <summary>Makes the <see cref="IAttestationProvider"/> that <see cref="AttestationProviderOptions.Type"/> names (the seed's name, kept).</summary>
public static class AttestationProviderFactory
{
    /// <exception cref="ArgumentException">Unknown or missing <c>Type</c>, or options that provider cannot use; the message names the option.</exception>
    public static IAttestationProvider Create(AttestationProviderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var type = options.Type?.Trim();
        if (string.Equals(type, AttestationProviderOptions.SimulationType, StringComparison.OrdinalIgnoreCase))
            return new SimulatedAttestationProvider(options);
        if (string.Equals(type, AttestationProviderOptions.SgxDcapType, StringComparison.OrdinalIgnoreCase))
            return new SgxDcapAttestationProvider(options);
        throw new ArgumentException(
            $"AttestationProviderOptions.Type must be \"{AttestationProviderOptions.SimulationType}\" or \"{AttestationProviderOptions.SgxDcapType}\"; got {(type is null ? "nothing" : $"\"{type}\"")}.",
            nameof(options));
    }
}
