using System.Buffers.Binary;
using NeoWorker.Attestation.Quotes;

namespace NeoWorker.Attestation.Tests.Quotes;

/// <summary>The parser refuses anything that is not exactly a v3 ECDSA-P256 quote, and says what is wrong.</summary>
public sealed class SgxQuoteFormatTests
{
    [Fact]
    public void A_truncated_quote_is_refused_naming_the_lengths()
    {
        var quote = SgxTestData.QuoteA[..^1];

        var error = Assert.Throws<QuoteFormatException>(() => SgxQuote.Parse(quote));

        Assert.Contains("signature_data_len is 4164 but 4163 bytes follow", error.Message);
    }

    [Fact]
    public void Trailing_bytes_are_refused()
    {
        byte[] quote = [.. SgxTestData.QuoteA, 0];

        var error = Assert.Throws<QuoteFormatException>(() => SgxQuote.Parse(quote));

        Assert.Contains("trailing bytes", error.Message);
    }

    [Fact]
    public void A_quote_shorter_than_its_fixed_part_is_refused()
    {
        var error = Assert.Throws<QuoteFormatException>(() => SgxQuote.Parse(new byte[100]));

        Assert.Contains("at least 436 bytes", error.Message);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(2)]
    public void Other_quote_versions_are_refused(ushort version)
    {
        var quote = SgxTestData.QuoteA;
        BinaryPrimitives.WriteUInt16LittleEndian(quote, version);

        var error = Assert.Throws<QuoteFormatException>(() => SgxQuote.Parse(quote));

        Assert.Contains($"Unsupported quote version {version}", error.Message);
    }

    [Fact]
    public void A_p384_attestation_key_type_is_refused()
    {
        var quote = SgxTestData.QuoteA;
        BinaryPrimitives.WriteUInt16LittleEndian(quote.AsSpan(2), 3);

        var error = Assert.Throws<QuoteFormatException>(() => SgxQuote.Parse(quote));

        Assert.Contains("attestation key type 3", error.Message);
    }

    [Fact]
    public void A_certification_data_length_that_overruns_the_quote_is_refused()
    {
        var quote = SgxTestData.QuoteA;
        var certificationLength = SgxQuote.SignatureDataOffset + 576 + 2 + 32 + 2;
        BinaryPrimitives.WriteUInt32LittleEndian(quote.AsSpan(certificationLength), 3549);

        var error = Assert.Throws<QuoteFormatException>(() => SgxQuote.Parse(quote));

        Assert.Contains("certification data says 3549 bytes but 3548 remain", error.Message);
    }

    [Fact]
    public void A_qe_auth_data_length_that_overruns_the_quote_is_refused()
    {
        var quote = SgxTestData.QuoteA;
        BinaryPrimitives.WriteUInt16LittleEndian(quote.AsSpan(SgxQuote.SignatureDataOffset + 576), 60000);

        var error = Assert.Throws<QuoteFormatException>(() => SgxQuote.Parse(quote));

        Assert.Contains("QE auth data of 60000 bytes", error.Message);
    }

    [Fact]
    public void Type_5_certification_data_that_is_not_pem_is_refused()
    {
        var quote = SgxTestData.QuoteA;
        var pemStart = SgxQuote.SignatureDataOffset + 576 + 2 + 32 + 6;
        "XXXXX"u8.CopyTo(quote.AsSpan(pemStart));

        var error = Assert.Throws<QuoteFormatException>(() => SgxQuote.Parse(quote));

        Assert.Contains("PEM", error.Message);
    }

    [Fact]
    public void An_unknown_certification_data_type_is_refused()
    {
        var quote = SgxTestData.QuoteA;
        BinaryPrimitives.WriteUInt16LittleEndian(quote.AsSpan(SgxQuote.SignatureDataOffset + 576 + 2 + 32), 9);

        var error = Assert.Throws<QuoteFormatException>(() => SgxQuote.Parse(quote));

        Assert.Contains("certification data type 9", error.Message);
    }
}
