using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using NeoWorker.Attestation.Sealing;

namespace NeoWorker.Enclave.Tests;

/// <summary>
/// Throwaway key files a runner holds, as a deployment's: a sealing key (PKCS#8 PEM) and a simulated PCK key
/// with its chain to a simulation root. <see cref="Environment"/> hands them to a runner of either backend.
/// </summary>
public sealed class TestKeys : IDisposable
{
    private readonly SealingKeyPair _sealing;

    public TestKeys()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("neoworker-test-keys-").FullName;
        _sealing = SealingKeyPair.Generate();
        SealingKeyFile = Path.Combine(Directory, "sealing-key.pem");
        File.WriteAllText(SealingKeyFile, _sealing.ExportPrivateKeyPem());

        var now = DateTimeOffset.UtcNow;
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootRequest = new CertificateRequest("CN=NeoWorker Test Simulation Root", rootKey, HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var root = rootRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        using var pckKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pckRequest = new CertificateRequest("CN=NeoWorker Test PCK", pckKey, HashAlgorithmName.SHA256);
        pckRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        pckRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        using var pck = pckRequest.Create(root, now.AddDays(-1), now.AddDays(29), RandomNumberGenerator.GetBytes(16));
        AttestationKeyFile = Path.Combine(Directory, "sim-pck-key.pem");
        AttestationChainFile = Path.Combine(Directory, "sim-pck-chain.pem");
        File.WriteAllText(AttestationKeyFile, pckKey.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(AttestationChainFile, pck.ExportCertificatePem() + "\n" + root.ExportCertificatePem() + "\n");
    }

    public string Directory { get; }

    public string SealingKeyFile { get; }

    public string AttestationKeyFile { get; }

    public string AttestationChainFile { get; }

    /// <summary>The variables that give a runner these keys (paths only, as the launchers pass them).</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["NEOWORKER_SEALING_KEY_FILES"] = SealingKeyFile,
        ["NEOWORKER_SIM_ATTESTATION_KEY_FILE"] = AttestationKeyFile,
        ["NEOWORKER_SIM_ATTESTATION_CHAIN_FILE"] = AttestationChainFile,
    };

    /// <summary>The base64 lines of the private key files: none may ever appear in a job's outcome.</summary>
    public IReadOnlyList<string> PrivateKeyLines =>
        [.. new[] { SealingKeyFile, AttestationKeyFile }
            .SelectMany(File.ReadAllLines)
            .Where(line => line.Length > 16 && !line.StartsWith("-----", StringComparison.Ordinal))];

    /// <summary>Secrets sealed to this sealing key for one user and function, as the API would seal them.</summary>
    public string Seal(string secretsJson, string userId, string functionId) =>
        new SecretSealer().Seal(_sealing.PublicKey, secretsJson, userId, functionId);

    public void Dispose()
    {
        _sealing.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Cleaned with the temp folder eventually.
        }
    }
}
