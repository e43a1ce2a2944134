using System.Security.Cryptography;

namespace NeoWorker.Attestation.Sealing;

/// <summary>Reads exactly one PEM block with an expected label.</summary>
internal static class SealingPem
{
    public const string PrivateKeyLabel = "PRIVATE KEY";
    public const string PublicKeyLabel = "PUBLIC KEY";

    public static byte[] ReadSingle(string pem, string expectedLabel)
    {
        ArgumentNullException.ThrowIfNull(pem);
        if (!PemEncoding.TryFind(pem, out var fields))
            throw new SealingKeyFormatException($"Expected a '{expectedLabel}' PEM block; none found.");
        if (PemEncoding.TryFind(pem.AsSpan(fields.Location.End.GetOffset(pem.Length)), out _))
            throw new SealingKeyFormatException($"Expected exactly one PEM block ('{expectedLabel}'); found more.");

        var label = pem[fields.Label];
        if (label != expectedLabel)
        {
            var hint = label switch
            {
                "EC PRIVATE KEY" => " Convert a SEC1 key with `openssl pkcs8 -topk8 -nocrypt`.",
                "ENCRYPTED PRIVATE KEY" => " Encrypted keys are not supported.",
                _ => "",
            };
            throw new SealingKeyFormatException($"Expected a '{expectedLabel}' PEM block, found '{Printable(label)}'.{hint}");
        }

        var der = new byte[fields.DecodedDataLength];
        if (!Convert.TryFromBase64Chars(pem.AsSpan()[fields.Base64Data], der, out var written) || written != der.Length)
            throw new SealingKeyFormatException($"The '{expectedLabel}' PEM block is not valid base64.");
        return der;
    }

    // PemEncoding only accepts labels of printable ASCII, but keep the message bounded anyway.
    private static string Printable(string label) => label.Length <= 40 ? label : label[..40] + "…";
}
