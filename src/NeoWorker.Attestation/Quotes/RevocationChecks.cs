using System.Security.Cryptography.X509Certificates;

namespace NeoWorker.Attestation.Quotes;

/// <summary>
/// Checks supplied CRLs: the PCK CRL against the PCK leaf (issued and signed by the leaf's CA), the Root CA CRL
/// against every certificate the root issued directly (the PCK CA and the TCB Signing certificate).
/// </summary>
internal static class RevocationChecks
{
    public static void CheckPck(byte[]? crl, IReadOnlyList<byte[]> pckPath, DateTimeOffset at, QuoteCheckList checks)
    {
        if (crl is null)
        {
            checks.Skip(QuoteCheckNames.PckCrl, "No PCK CRL supplied; the PCK certificate's revocation was not checked.");
            return;
        }
        if (pckPath.Count < 2)
        {
            checks.Fail(QuoteCheckNames.PckCrl, "The PCK chain did not build, so there is no issuer to check the PCK CRL against.");
            return;
        }

        using var leaf = X509CertificateLoader.LoadCertificate(pckPath[0]);
        using var issuer = X509CertificateLoader.LoadCertificate(pckPath[1]);
        Check(QuoteCheckNames.PckCrl, "PCK CRL", crl, issuer, [leaf], at, checks);
    }

    public static void CheckRoot(byte[]? crl, X509Certificate2 trustRoot, IEnumerable<byte[]> certificates, DateTimeOffset at, QuoteCheckList checks)
    {
        if (crl is null)
        {
            checks.Skip(QuoteCheckNames.RootCaCrl, "No Root CA CRL supplied; the intermediate certificates' revocation was not checked.");
            return;
        }

        var issuedByRoot = new List<X509Certificate2>();
        try
        {
            foreach (var der in certificates.DistinctBy(Convert.ToHexString))
            {
                var certificate = X509CertificateLoader.LoadCertificate(der);
                if (certificate.IssuerName.RawData.AsSpan().SequenceEqual(trustRoot.SubjectName.RawData)
                    && !certificate.RawDataMemory.Span.SequenceEqual(trustRoot.RawDataMemory.Span))
                    issuedByRoot.Add(certificate);
                else
                    certificate.Dispose();
            }
            Check(QuoteCheckNames.RootCaCrl, "Root CA CRL", crl, trustRoot, issuedByRoot, at, checks);
        }
        finally
        {
            foreach (var certificate in issuedByRoot) certificate.Dispose();
        }
    }

    private static void Check(string name, string what, byte[] crlBytes, X509Certificate2 issuer, IReadOnlyList<X509Certificate2> subjects,
        DateTimeOffset at, QuoteCheckList checks)
    {
        CertificateRevocationList crl;
        try
        {
            crl = CertificateRevocationList.Parse(crlBytes, what);
        }
        catch (CollateralFormatException e)
        {
            checks.Fail(name, e.Message);
            return;
        }

        var issuerName = CertificateNames.Of(issuer);
        var window = $"this update {UtcText.Of(crl.ThisUpdate)}, next update {(crl.NextUpdate is { } next ? UtcText.Of(next) : "none")}";
        var problems = new List<string>();
        if (!crl.IsIssuedBy(issuer))
            problems.Add($"the {what} is issued by '{crl.IssuerName}', not by '{issuerName}'");
        else if (!crl.IsSignedBy(issuer))
            problems.Add($"the {what} signature does not verify with '{issuerName}'");
        if (!crl.IsCurrentAt(at))
            problems.Add($"the {what} is not current at {UtcText.Of(at)} ({window})");
        foreach (var revoked in subjects.Where(crl.IsRevoked))
            problems.Add($"'{CertificateNames.Of(revoked)}' (serial {Serial(revoked)}) is revoked");

        var covered = string.Join(", ", subjects.Select(s => $"'{CertificateNames.Of(s)}' (serial {Serial(s)})"));
        checks.Add(name, problems.Count == 0,
            problems.Count == 0
                ? $"'{issuerName}' {what} ({crl.RevokedCount} revoked serials; {window}) is signed by its issuer, current, and does not list {(covered.Length == 0 ? "any certificate checked" : covered)}."
                : char.ToUpperInvariant(problems[0][0]) + string.Join("; ", problems)[1..] + ".");
    }

    // As Intel and OpenSSL print it: the unsigned value, without DER's sign-padding 00.
    private static string Serial(X509Certificate2 certificate) => certificate.SerialNumber.TrimStart('0') is { Length: > 0 } serial ? serial : "0";
}
