using System.Text;
using NeoWorker.Attestation.Sealing;

namespace NeoWorker.Attestation.Tests.Sealing;

public sealed class SecretUnsealerTests : IDisposable
{
    private const string Secrets = """{"apiKey":"sk-123","nested":{"list":[1,2,3]},"pässwort":"秘密🔑"}""";
    private readonly SealingKeyPair key = SealingKeyPair.Generate();
    private readonly SealingKeyPair otherKey = SealingKeyPair.Generate();
    private readonly SecretSealer sealer = new();
    private readonly SecretUnsealer unsealer;
    private readonly string envelope;

    public SecretUnsealerTests()
    {
        unsealer = new SecretUnsealer([key]);
        envelope = sealer.Seal(key.PublicKey, Secrets, "user-1", "function-1");
    }

    public void Dispose()
    {
        key.Dispose();
        otherKey.Dispose();
    }

    [Fact]
    public void Sealed_secrets_unseal_to_the_same_text()
        => Assert.Equal(Secrets, unsealer.Unseal(envelope, "user-1", "function-1"));

    [Fact]
    public void Sealed_secrets_unseal_whitespace_and_all_when_sealed_with_non_ascii_ids()
    {
        const string spaced = "{ \"a\" : 1 ,\n \"b\": [ ] }";
        var sealedForUnicodeIds = sealer.Seal(key.PublicKey, spaced, "用户-ü", "fn-é");

        Assert.Equal(spaced, unsealer.Unseal(sealedForUnicodeIds, "用户-ü", "fn-é"));
    }

    [Fact]
    public void An_envelope_does_not_unseal_for_another_user()
        => AssertReason(SealedSecretsReason.DecryptionFailed, envelope, "user-2", "function-1");

    [Fact]
    public void An_envelope_does_not_unseal_for_another_function()
        => AssertReason(SealedSecretsReason.DecryptionFailed, envelope, "user-1", "function-2");

    [Fact]
    public void An_envelope_does_not_unseal_for_ids_that_differ_only_in_case()
        => AssertReason(SealedSecretsReason.DecryptionFailed, envelope, "USER-1", "function-1");

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(-1)]
    [InlineData(-16)]
    public void A_tampered_ciphertext_or_tag_does_not_unseal(int index)
        => AssertReason(SealedSecretsReason.DecryptionFailed, EnvelopeText.Flip(envelope, "ct", index));

    [Fact]
    public void A_truncated_ciphertext_does_not_unseal()
    {
        var ct = EnvelopeText.Bytes(envelope, "ct");

        AssertReason(SealedSecretsReason.DecryptionFailed, EnvelopeText.WithBytes(envelope, "ct", ct[1..]));
    }

    [Fact]
    public void A_tampered_nonce_does_not_unseal()
        => AssertReason(SealedSecretsReason.DecryptionFailed, EnvelopeText.Flip(envelope, "nonce", 3));

    [Fact]
    public void An_epk_replaced_by_another_valid_point_does_not_unseal()
    {
        using var stranger = SealingKeyPair.Generate();

        AssertReason(SealedSecretsReason.DecryptionFailed, EnvelopeText.WithBytes(envelope, "epk", stranger.PublicKey.ExportPoint()));
    }

    [Fact]
    public void An_epk_off_the_curve_is_malformed()
        => AssertReason(SealedSecretsReason.MalformedEnvelope, EnvelopeText.Flip(envelope, "epk", 20));

    [Fact]
    public void An_envelope_relabelled_with_another_known_key_id_does_not_unseal()
    {
        var both = new SecretUnsealer([key, otherKey]);
        var relabelled = EnvelopeText.WithString(envelope, "kid", otherKey.KeyId);

        var error = Assert.Throws<SealedSecretsException>(() => both.Unseal(relabelled, "user-1", "function-1"));

        Assert.Equal(SealedSecretsReason.DecryptionFailed, error.Reason);
    }

    [Fact]
    public void An_envelope_for_an_unknown_key_names_the_reason_and_the_key_id()
    {
        var forOtherKey = sealer.Seal(otherKey.PublicKey, Secrets, "user-1", "function-1");

        var error = Assert.Throws<SealedSecretsException>(() => unsealer.Unseal(forOtherKey, "user-1", "function-1"));

        Assert.Equal(SealedSecretsReason.UnknownKeyId, error.Reason);
        Assert.Contains(otherKey.KeyId, error.Message);
    }

    [Fact]
    public void Malformed_json_is_refused_as_malformed()
        => AssertReason(SealedSecretsReason.MalformedEnvelope, envelope[..^1]);

    [Fact]
    public void Another_version_is_refused_as_unsupported()
        => AssertReason(SealedSecretsReason.UnsupportedVersion, EnvelopeText.With(envelope, "v", "2"));

    [Fact]
    public void Secrets_over_the_unsealers_limit_are_too_large()
    {
        var small = new SecretUnsealer([key], maxPlaintextBytes: 100);
        var big = new SecretSealer(1000).Seal(key.PublicKey, "{\"a\":\"" + new string('x', 200) + "\"}", "user-1", "function-1");

        Assert.Equal(SealedSecretsReason.TooLarge, Assert.Throws<SealedSecretsException>(() => small.Unseal(big, "user-1", "function-1")).Reason);
    }

    [Fact]
    public void Secrets_of_exactly_the_limit_unseal()
    {
        var exact = "{\"a\":\"" + new string('x', 100 - 8) + "\"}";
        var small = new SecretUnsealer([key], maxPlaintextBytes: 100);

        Assert.Equal(exact, small.Unseal(new SecretSealer(100).Seal(key.PublicKey, exact, "u", "f"), "u", "f"));
    }

    [Fact]
    public void A_huge_envelope_is_too_large_before_it_is_parsed()
        => AssertReason(SealedSecretsReason.TooLarge, new string('{', 200_000));

    [Fact]
    public void With_two_keys_envelopes_sealed_to_either_unseal()
    {
        var rotating = new SecretUnsealer([key, otherKey]);
        var toOld = sealer.Seal(key.PublicKey, """{"generation":"old"}""", "u", "f");
        var toNew = sealer.Seal(otherKey.PublicKey, """{"generation":"new"}""", "u", "f");

        Assert.Equal("""{"generation":"old"}""", rotating.Unseal(toOld, "u", "f"));
        Assert.Equal("""{"generation":"new"}""", rotating.Unseal(toNew, "u", "f"));
        Assert.Equal(new[] { key.KeyId, otherKey.KeyId }.Order(), rotating.KeyIds.Order());
    }

    [Fact]
    public void The_same_key_twice_is_refused()
    {
        using var again = SealingKeyPair.FromPem(key.ExportPrivateKeyPem());

        Assert.Throws<ArgumentException>(() => new SecretUnsealer([key, again]));
        Assert.Throws<ArgumentException>(() => new SecretUnsealer([]));
    }

    [Theory]
    [InlineData("[\"a\"]")]
    [InlineData("\"a\"")]
    [InlineData("{\"a\":")]
    [InlineData("\uFEFF{}")]
    public void A_plaintext_that_is_not_a_json_object_is_invalid(string plaintext)
        => AssertReason(SealedSecretsReason.InvalidPlaintext, SecretSealer.SealBytes(key.PublicKey, Encoding.UTF8.GetBytes(plaintext), "user-1", "function-1"));

    [Fact]
    public void A_plaintext_that_is_not_utf8_is_invalid()
        => AssertReason(SealedSecretsReason.InvalidPlaintext, SecretSealer.SealBytes(key.PublicKey, [(byte)'{', 0xC3, (byte)'}'], "user-1", "function-1"));

    [Fact]
    public void An_unsealer_accepts_a_repeated_property_name_as_the_runner_does()
    {
        var sealedByAnotherSealer = SecretSealer.SealBytes(key.PublicKey, """{"a":1,"a":2}"""u8, "user-1", "function-1");

        Assert.Equal("""{"a":1,"a":2}""", unsealer.Unseal(sealedByAnotherSealer, "user-1", "function-1"));
    }

    [Fact]
    public void Ids_that_could_make_the_binding_ambiguous_are_refused_when_unsealing_too()
        => Assert.ThrowsAny<ArgumentException>(() => unsealer.Unseal(envelope, "user-1\nfunction-1", "x"));

    [Fact]
    public void Many_threads_can_unseal_at_once()
    {
        var results = new string[200];

        Parallel.For(0, results.Length, i => results[i] = unsealer.Unseal(envelope, "user-1", "function-1"));

        Assert.All(results, r => Assert.Equal(Secrets, r));
    }

    private void AssertReason(SealedSecretsReason reason, string text, string userId = "user-1", string functionId = "function-1")
        => Assert.Equal(reason, Assert.Throws<SealedSecretsException>(() => unsealer.Unseal(text, userId, functionId)).Reason);
}
