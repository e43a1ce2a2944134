using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace NeoWorker.Attestation.Quotes;

/// <summary>
/// A per-deployment simulation root CA (P-256, self-signed, CA) and the simulated PCK certificates it issues.
/// Verifiers of that deployment trust its certificate for simulated quotes only; its key signs nothing else.
/// </summary>
public sealed class SimulationRoot
{
    private SimulationRoot(string certificatePem, string privateKeyPem)
    {
        CertificatePem = certificatePem;
        PrivateKeyPem = privateKeyPem;
    }

    /// <summary>The root certificate: give this to verifiers as the simulation trust root.</summary>
    public string CertificatePem { get; }

    /// <summary>Unencrypted PKCS#8 PEM of the root key. Keep it offline: it can mint simulated PCK certificates.</summary>
    public string PrivateKeyPem { get; }

    /// <summary>Makes a new root valid from <paramref name="notBefore"/> to <paramref name="notAfter"/>.</summary>
    public static SimulationRoot Create(string deploymentName, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(deploymentName);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(Name("NeoWorker Simulation Root CA (not SGX hardware)", deploymentName), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        using var certificate = request.CreateSelfSigned(notBefore, notAfter);
        return new SimulationRoot(certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>Loads a root made earlier; a key that does not belong to the certificate is an <see cref="ArgumentException"/>.</summary>
    public static SimulationRoot FromPem(string certificatePem, string privateKeyPem)
    {
        ArgumentNullException.ThrowIfNull(certificatePem);
        ArgumentNullException.ThrowIfNull(privateKeyPem);
        using var certificate = X509Certificate2.CreateFromPem(certificatePem, privateKeyPem); // ArgumentException if they do not match
        return new SimulationRoot(certificate.ExportCertificatePem(), privateKeyPem);
    }

    /// <summary>A new instance of the root certificate, for use as a verifier's trust root; dispose it.</summary>
    public X509Certificate2 LoadCertificate() => X509Certificate2.CreateFromPem(CertificatePem);

    /// <summary>Issues a simulated PCK certificate with a new P-256 key; its chain is leaf then root.</summary>
    public SimulatedPck IssuePck(string deploymentName, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(deploymentName);
        using var root = X509Certificate2.CreateFromPem(CertificatePem, PrivateKeyPem);
        if (notBefore < root.NotBefore || notAfter > root.NotAfter)
            throw new ArgumentException("The simulated PCK certificate must lie within the root's validity.", nameof(notAfter));

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(Name("NeoWorker Simulated PCK (not SGX hardware)", deploymentName), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7f) | 0x01); // positive and 16 bytes long, as RFC 5280 asks
        using var certificate = request.Create(root, notBefore, notAfter, serial);
        return new SimulatedPck(
            certificate.ExportCertificatePem() + "\n" + CertificatePem + "\n",
            key.ExportPkcs8PrivateKeyPem());
    }

    public override string ToString() => "Simulation root CA";

    private static X500DistinguishedName Name(string commonName, string deploymentName)
    {
        var name = new X500DistinguishedNameBuilder();
        name.AddCommonName(commonName);
        name.AddOrganizationName(deploymentName);
        return name.Build();
    }
}
