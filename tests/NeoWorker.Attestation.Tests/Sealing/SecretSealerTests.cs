using NeoWorker.Attestation.Sealing;

namespace NeoWorker.Attestation.Tests.Sealing;

public sealed class SecretSealerTests : IDisposable
{
    private readonly SealingKeyPair key = SealingKeyPair.Generate();

    public void Dispose() => key.Dispose();

    [Theory]
    [InlineData("[1,2]", "an array")]
    [InlineData("\"text\"", "a string")]
    [InlineData("42", "a number")]
    [InlineData("true", "a boolean")]
    [InlineData("null", "null")]
    public void Secrets_that_are_not_a_json_object_are_refused(string json, string kind)
    {
        var error = Assert.Throws<SecretsFormatException>(() => Seal(json));

        Assert.Contains($"not {kind}", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{\"a\":1,}")]
    [InlineData("{\"a\":1} // comment")]
    [InlineData("{'a':1}")]
    [InlineData("\uFEFF{}")]
    public void Secrets_that_are_not_valid_json_are_refused(string json)
        => Assert.Throws<SecretsFormatException>(() => Seal(json));

    [Fact]
    public void Secrets_with_a_repeated_property_name_are_refused()
        => Assert.Throws<SecretsFormatException>(() => Seal("""{"inner":{"a":1,"a":2}}"""));

    [Fact]
    public void Secrets_with_a_property_name_escaping_a_lone_surrogate_are_refused()
        => Assert.Throws<SecretsFormatException>(() => Seal("""{"\ud800":1,"\udc00":2}"""));

    [Fact]
    public void Secrets_with_a_string_escaping_a_lone_surrogate_are_sealed_as_json_allows()
        => Seal("""{"a":"\ud800"}""");

    [Fact]
    public void Secrets_with_a_lone_surrogate_are_refused()
        => Assert.Throws<SecretsFormatException>(() => Seal("{\"a\":\"\ud800\"}"));

    [Fact]
    public void Secrets_of_exactly_the_limit_are_sealed_and_one_byte_more_are_refused()
    {
        var sealer = new SecretSealer(maxPlaintextBytes: 100);
        var atLimit = "{\"a\":\"" + new string('x', 100 - 8) + "\"}";

        sealer.Seal(key.PublicKey, atLimit, "user", "function");
        var error = Assert.Throws<SecretsFormatException>(() => sealer.Seal(key.PublicKey, atLimit.Replace("x\"", "xx\"", StringComparison.Ordinal), "user", "function"));

        Assert.Contains("at most 100 bytes", error.Message);
    }

    [Fact]
    public void The_limit_counts_utf8_bytes_not_characters()
    {
        var sealer = new SecretSealer(maxPlaintextBytes: 100);
        var fiftyCharsHundredFiftyBytes = "{\"a\":\"" + new string('€', 42) + "\"}";

        Assert.Throws<SecretsFormatException>(() => sealer.Seal(key.PublicKey, fiftyCharsHundredFiftyBytes, "user", "function"));
    }

    [Fact]
    public void The_default_limit_is_64_KiB()
        => Assert.Equal(65536, new SecretSealer().MaxPlaintextBytes);

    [Theory]
    [InlineData("", "function")]
    [InlineData("user", "")]
    [InlineData("user\nfunction", "x")]
    [InlineData("user", "function\n")]
    public void A_user_or_function_id_that_could_make_the_binding_ambiguous_is_refused(string userId, string functionId)
        => Assert.ThrowsAny<ArgumentException>(() => new SecretSealer().Seal(key.PublicKey, "{}", userId, functionId));

    [Fact]
    public void A_user_id_with_a_lone_surrogate_is_refused()
        => Assert.Throws<ArgumentException>(() => new SecretSealer().Seal(key.PublicKey, "{}", "user\ud800", "function"));

    [Fact]
    public void Sealing_the_same_secrets_twice_gives_different_envelopes()
    {
        var first = SealedEnvelope.Parse(Seal("""{"a":1}"""));
        var second = SealedEnvelope.Parse(Seal("""{"a":1}"""));

        Assert.False(first.EphemeralPublicKey.Span.SequenceEqual(second.EphemeralPublicKey.Span));
        Assert.False(first.Nonce.Span.SequenceEqual(second.Nonce.Span));
        Assert.False(first.Ciphertext.Span.SequenceEqual(second.Ciphertext.Span));
    }

    private string Seal(string json) => new SecretSealer().Seal(key.PublicKey, json, "user", "function");
}
