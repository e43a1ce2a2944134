using System.Formats.Asn1;

namespace NeoWorker.Attestation.Quotes;

internal static class AsnReaderExtensions
{
    /// <summary>DER leaves no room for trailing bytes; anything left over means the structure is not what we think.</summary>
    public static void ThrowIfNotAtEnd(this AsnReader reader)
    {
        if (reader.HasData) throw new AsnContentException("Unexpected data after the end of the structure.");
    }
}
