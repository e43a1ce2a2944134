namespace NeoWorker.Attestation.Quotes;

/// <summary>A simulated "PCK" credential: what a simulation worker needs to sign simulated quotes. The key is a secret.</summary>
public sealed class SimulatedPck(string certificateChainPem, string privateKeyPem)
{
    /// <summary>The PCK certificate, then the simulation root, as PEM.</summary>
    public string CertificateChainPem { get; } = certificateChainPem ?? throw new ArgumentNullException(nameof(certificateChainPem));

    /// <summary>Unencrypted PKCS#8 PEM (<c>-----BEGIN PRIVATE KEY-----</c>).</summary>
    public string PrivateKeyPem { get; } = privateKeyPem ?? throw new ArgumentNullException(nameof(privateKeyPem));

    public override string ToString() => "Simulated PCK credential";
}
