using System.Security.Cryptography;
using System.Text;

namespace NeoWorker.Attestation.Quotes;

/// <summary>
/// Reads and writes a chain of <c>CERTIFICATE</c> PEM blocks (leaf first). Only whitespace may sit between and
/// around blocks; trailing NUL bytes are tolerated because Intel's QE appends one to type-5 certification data.
/// </summary>
internal static class CertificatePemChain
{
    private const string Label = "CERTIFICATE";

    /// <summary>The DER of each block, in order. <paramref name="error"/> makes the exception for bad input.</summary>
    public static IReadOnlyList<byte[]> Read(string text, Func<string, Exception> error)
    {
        var rest = text.AsSpan().TrimEnd('\0');
        var certificates = new List<byte[]>();
        while (!rest.IsWhiteSpace())
        {
            if (!PemEncoding.TryFind(rest, out var fields))
                throw error($"Certificate {certificates.Count + 1} of the PEM chain is not a PEM block.");
            if (!rest[..fields.Location.Start].IsWhiteSpace())
                throw error($"Unexpected text before certificate {certificates.Count + 1} of the PEM chain.");
            if (!rest[fields.Label].SequenceEqual(Label))
                throw error($"PEM block {certificates.Count + 1} is labelled '{rest[fields.Label]}', expected '{Label}'.");
            var der = new byte[fields.DecodedDataLength];
            if (!Convert.TryFromBase64Chars(rest[fields.Base64Data], der, out var written) || written != der.Length)
                throw error($"Certificate {certificates.Count + 1} of the PEM chain is not valid base64.");
            certificates.Add(der);
            rest = rest[fields.Location.End..];
        }
        if (certificates.Count == 0)
            throw error("The PEM certificate chain holds no certificate.");
        return certificates;
    }

    /// <summary>Each certificate as a 64-column PEM block ending in "\n", concatenated (the layout Intel's PCCS serves).</summary>
    public static string Write(IEnumerable<byte[]> certificates)
    {
        var pem = new StringBuilder();
        foreach (var der in certificates)
            pem.Append(PemEncoding.Write(Label, der)).Append('\n');
        return pem.ToString();
    }
}
