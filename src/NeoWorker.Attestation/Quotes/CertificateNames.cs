using System.Security.Cryptography.X509Certificates;

namespace NeoWorker.Attestation.Quotes;

/// <summary>Short names for messages: the CN when there is one (platforms disagree on how to print a whole DN).</summary>
internal static class CertificateNames
{
    private const string CommonNameOid = "2.5.4.3";

    public static string Of(X509Certificate2 certificate) => Of(certificate.SubjectName);

    public static string Of(X500DistinguishedName name) =>
        name.EnumerateRelativeDistinguishedNames()
            .Where(rdn => !rdn.HasMultipleElements && rdn.GetSingleElementType().Value == CommonNameOid)
            .Select(rdn => rdn.GetSingleElementValue())
            .FirstOrDefault(cn => !string.IsNullOrEmpty(cn)) ?? name.Name;
}
