using NeoWorker.Attestation.Sealing;

namespace NeoWorker.Attestation.Tests.Sealing;

public sealed class SealedEnvelopeTests : IDisposable
{
    private readonly SealingKeyPair key = SealingKeyPair.Generate();
    private readonly string envelope;

    public SealedEnvelopeTests()
    {
        envelope = new SecretSealer().Seal(key.PublicKey, """{"token":"abc"}""", "user-1", "function-1");
    }

    public void Dispose() => key.Dispose();

    [Fact]
    public void A_sealed_envelope_is_written_with_the_fixed_properties_in_order_and_no_whitespace()
    {
        Assert.Matches(
            "^\\{\"v\":1,\"alg\":\"ECDH-ES\\+HKDF-SHA256\\+A256GCM\",\"kid\":\"" + key.KeyId +
            "\",\"epk\":\"B[A-Za-z0-9+/]{86}=\",\"nonce\":\"[A-Za-z0-9+/]{16}\",\"ct\":\"[A-Za-z0-9+/]+={0,2}\"\\}$",
            envelope);
    }

    [Fact]
    public void Parsing_and_serializing_give_back_the_same_text()
    {
        var parsed = SealedEnvelope.Parse(envelope);

        Assert.Equal(envelope, parsed.Serialize());
        Assert.Equal(key.KeyId, parsed.KeyId);
        Assert.Equal(65, parsed.EphemeralPublicKey.Length);
        Assert.Equal(12, parsed.Nonce.Length);
        Assert.Equal("""{"token":"abc"}""".Length + 16, parsed.Ciphertext.Length);
        Assert.Equal(parsed, SealedEnvelope.Parse(envelope));
    }

    [Fact]
    public void Another_property_order_whitespace_and_escapes_are_read_as_the_same_envelope()
    {
        var parsed = SealedEnvelope.Parse(envelope);
        var reordered =
            $$"""
            { "ct" : "{{Convert.ToBase64String(parsed.Ciphertext.Span)}}", "nonce":"{{Convert.ToBase64String(parsed.Nonce.Span)}}",
              "epk":"{{Convert.ToBase64String(parsed.EphemeralPublicKey.Span).Replace("+", "\\u002B", StringComparison.Ordinal)}}",
              "kid":"{{parsed.KeyId}}", "alg":"ECDH-ES\u002BHKDF-SHA256+A256GCM", "v": 1.0 }
            """;

        Assert.Equal(parsed, SealedEnvelope.Parse(reordered));
    }

    public static TheoryData<string, string> MalformedEdits => new()
    {
        { "v", "\"1\"" },
        { "v", "null" },
        { "alg", "1" },
        { "kid", "\"AAAAAAAAAAAAAAA\"" },
        { "kid", "\"AAAAAAAAAAAAAAA+\"" },
        { "kid", "\"AAAAAAAAAAAAAAAAAAAA\"" },
        { "epk", "\"BAAA\"" },
        { "epk", "12" },
        { "nonce", "\"AAAAAAAAAAAAAA==\"" },
        { "nonce", "\"AAAAAAAAAAAAAAAAAAAA\"" },
        { "ct", "\"AAAAAAAAAAAAAAAAAAAA\"" },
        { "ct", "\"\"" },
        { "extra", "\"x\"" },
    };

    [Theory]
    [MemberData(nameof(MalformedEdits))]
    public void A_field_of_the_wrong_type_or_size_or_an_extra_field_is_malformed(string field, string rawValue)
        => AssertReason(SealedSecretsReason.MalformedEnvelope, EnvelopeText.With(envelope, field, rawValue));

    [Theory]
    [InlineData("v")]
    [InlineData("alg")]
    [InlineData("kid")]
    [InlineData("epk")]
    [InlineData("nonce")]
    [InlineData("ct")]
    public void A_missing_field_is_malformed(string field)
        => AssertReason(SealedSecretsReason.MalformedEnvelope, EnvelopeText.With(envelope, field, null));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("\"envelope\"")]
    [InlineData("{\"v\":1,\"v\":1}")]
    [InlineData("{\"\\ud800\":1,\"\\udc00\":1}")]
    public void Text_that_is_not_an_object_of_unique_properties_is_malformed(string text)
        => AssertReason(SealedSecretsReason.MalformedEnvelope, text);

    [Fact]
    public void A_duplicated_field_is_malformed()
        => AssertReason(SealedSecretsReason.MalformedEnvelope, envelope.Replace("\"v\":1,", "\"v\":1,\"v\":1,", StringComparison.Ordinal));

    [Fact]
    public void Base64_that_is_not_canonical_is_malformed()
    {
        var nonce = EnvelopeText.Field(envelope, "nonce");
        var epk = EnvelopeText.Field(envelope, "epk");
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        var spareBitSet = alphabet[alphabet.IndexOf(epk[^2], StringComparison.Ordinal) | 1]; // 65 bytes: 2 spare bits before '='

        AssertReason(SealedSecretsReason.MalformedEnvelope, EnvelopeText.WithString(envelope, "nonce", nonce[..8] + "\n" + nonce[8..]));
        AssertReason(SealedSecretsReason.MalformedEnvelope, EnvelopeText.WithString(envelope, "epk", epk[..^1]));
        AssertReason(SealedSecretsReason.MalformedEnvelope, EnvelopeText.WithString(envelope, "nonce", new string('_', 16))); // base64url of 12 x 0xFF
        AssertReason(SealedSecretsReason.MalformedEnvelope, EnvelopeText.WithString(envelope, "epk", epk[..^2] + spareBitSet + "="));
    }

    [Fact]
    public void An_epk_that_is_not_an_uncompressed_point_is_malformed()
    {
        var epk = EnvelopeText.Bytes(envelope, "epk");
        epk[0] = 0x03;

        AssertReason(SealedSecretsReason.MalformedEnvelope, EnvelopeText.WithBytes(envelope, "epk", epk));
    }

    [Theory]
    [InlineData("v", "2")]
    [InlineData("v", "0")]
    [InlineData("v", "1.5")]
    [InlineData("alg", "\"ECDH-ES+A256KW\"")]
    public void Another_version_or_algorithm_is_unsupported(string field, string rawValue)
        => AssertReason(SealedSecretsReason.UnsupportedVersion, EnvelopeText.With(envelope, field, rawValue));

    [Fact]
    public void A_future_version_is_unsupported_whatever_its_other_fields()
        => AssertReason(SealedSecretsReason.UnsupportedVersion, """{"v":2,"suite":"x","data":{"a":[1]}}""");

    private static void AssertReason(SealedSecretsReason reason, string text)
        => Assert.Equal(reason, Assert.Throws<SealedSecretsException>(() => SealedEnvelope.Parse(text)).Reason);
}
