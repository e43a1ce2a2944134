using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace NeoWorker.Attestation.Quotes;

/// <summary>
/// Builds a chain with <see cref="X509Chain"/> to exactly one trusted root, at a given time, with no network
/// (no AIA fetching, no online revocation: the verifier checks supplied CRLs itself).
/// </summary>
internal static class TrustChain
{
    public static TrustChainResult Validate(IReadOnlyList<byte[]> certificates, X509Certificate2 trustRoot, DateTimeOffset at, string what)
    {
        var loaded = new List<X509Certificate2>();
        try
        {
            for (var i = 0; i < certificates.Count; i++)
            {
                try
                {
                    loaded.Add(X509CertificateLoader.LoadCertificate(certificates[i]));
                }
                catch (CryptographicException)
                {
                    return new TrustChainResult(false, $"Certificate {i + 1} of the {what} is not a valid X.509 certificate.", []);
                }
            }
            if (loaded.Count == 0) return new TrustChainResult(false, $"The {what} is empty.", []);
            return Build(loaded, trustRoot, at, what);
        }
        finally
        {
            foreach (var certificate in loaded) certificate.Dispose();
        }
    }

    private static TrustChainResult Build(List<X509Certificate2> certificates, X509Certificate2 trustRoot, DateTimeOffset at, string what)
    {
        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.CustomTrustStore.Add(trustRoot);
        policy.ExtraStore.AddRange(certificates.Skip(1).ToArray());
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.DisableCertificateDownloads = true;
        policy.VerificationTimeIgnored = false;
        policy.VerificationTime = at.UtcDateTime;

        var built = chain.Build(certificates[0]);
        var elements = chain.ChainElements.Select(e => e.Certificate).ToList();
        try
        {
            var path = elements.Select(c => c.RawData).ToArray();
            var endsAtRoot = elements.Count > 0 && elements[^1].RawDataMemory.Span.SequenceEqual(trustRoot.RawDataMemory.Span);
            var names = string.Join(" → ", elements.Select(c => Cn(c)));
            if (built && endsAtRoot)
                return new TrustChainResult(true, $"{names}; every certificate valid at {UtcText.Of(at)}.", path);

            var problems = new List<string>();
            foreach (var element in chain.ChainElements)
            {
                foreach (var status in element.ChainElementStatus.Where(s => s.Status != X509ChainStatusFlags.NoError))
                {
                    problems.Add(status.Status == X509ChainStatusFlags.NotTimeValid
                        ? $"'{Cn(element.Certificate)}' is not valid at {UtcText.Of(at)} (valid {UtcText.Of(element.Certificate.NotBefore)} to {UtcText.Of(element.Certificate.NotAfter)})"
                        : $"'{Cn(element.Certificate)}': {status.Status}");
                }
            }
            if (!endsAtRoot)
                problems.Add(elements.Count == 0
                    ? "no chain could be built"
                    : $"the chain ends at '{Cn(elements[^1])}' (SHA-256 {Fingerprint(elements[^1])}), which is not the trust root '{Cn(trustRoot)}' (SHA-256 {Fingerprint(trustRoot)})");
            if (problems.Count == 0)
                problems.AddRange(chain.ChainStatus.Select(s => s.Status.ToString()));
            return new TrustChainResult(false, $"The {what} ({names}) does not verify: {string.Join("; ", problems.Distinct())}.", path);
        }
        finally
        {
            foreach (var element in elements) element.Dispose();
        }
    }

    private static string Cn(X509Certificate2 certificate) => CertificateNames.Of(certificate);

    // Roots of different deployments may share a name; the fingerprint tells them apart.
    private static string Fingerprint(X509Certificate2 certificate) =>
        Convert.ToHexStringLower(SHA256.HashData(certificate.RawDataMemory.Span).AsSpan(0, 8)) + "…";
}
