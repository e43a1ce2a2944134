using System.Buffers.Text;
using System.Security.Cryptography;
using NeoWorker.Attestation.Sealing;

namespace NeoWorker.Attestation.Tests.Sealing;

public sealed class SealingKeyTests
{
    [Fact]
    public void The_key_id_is_base64url_of_the_first_12_bytes_of_the_sha256_of_the_uncompressed_point()
    {
        using var pair = SealingKeyPair.Generate();
        var point = pair.PublicKey.ExportPoint();

        Assert.Equal(65, point.Length);
        Assert.Equal(0x04, point[0]);
        Assert.Equal(Base64Url.EncodeToString(SHA256.HashData(point).AsSpan(0, 12)), pair.KeyId);
        Assert.Matches("^[A-Za-z0-9_-]{16}$", pair.KeyId);
    }

    [Fact]
    public void A_key_pair_survives_a_round_trip_through_its_pkcs8_pem()
    {
        using var pair = SealingKeyPair.Generate();
        var pem = pair.ExportPrivateKeyPem();

        using var loaded = SealingKeyPair.FromPem(pem);

        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", pem);
        Assert.Equal(pair.KeyId, loaded.KeyId);
        Assert.Equal(pair.PublicKey, loaded.PublicKey);
    }

    [Fact]
    public void A_public_key_survives_round_trips_through_its_pem_and_its_base64_point()
    {
        using var pair = SealingKeyPair.Generate();
        var pem = pair.PublicKey.ExportPem();

        var fromPem = SealingPublicKey.FromPem(pem);
        var fromPoint = SealingPublicKey.FromBase64Point(pair.PublicKey.ExportBase64Point());

        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", pem);
        Assert.Equal(pair.PublicKey, fromPem);
        Assert.Equal(pair.PublicKey, fromPoint);
        Assert.Equal(pair.KeyId, fromPoint.KeyId);
    }

    [OpenSslFact]
    public void Keys_written_by_openssl_load_and_match_what_we_write()
    {
        var sec1 = OpenSsl.Run("ecparam", "-name", "prime256v1", "-genkey", "-noout");
        var privatePem = OpenSsl.RunWithInput(sec1, "pkcs8", "-topk8", "-nocrypt");
        var publicPem = OpenSsl.RunWithInput(privatePem, "pkey", "-pubout");

        using var pair = SealingKeyPair.FromPem(privatePem);
        var publicKey = SealingPublicKey.FromPem(publicPem);

        Assert.Equal(pair.PublicKey, publicKey);
        Assert.Equal(publicPem.Trim(), publicKey.ExportPem().Trim());
        Assert.Equal(publicPem, OpenSsl.RunWithInput(pair.ExportPrivateKeyPem(), "pkey", "-pubout"));
        var envelope = new SecretSealer().Seal(publicKey, """{"k":"v"}""", "user", "function");
        Assert.Equal("""{"k":"v"}""", new SecretUnsealer([pair]).Unseal(envelope, "user", "function"));
    }

    [Fact]
    public void A_sec1_private_key_is_refused_with_a_hint_to_convert_it()
    {
        using var key = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);

        var error = Assert.Throws<SealingKeyFormatException>(() => SealingKeyPair.FromPem(key.ExportECPrivateKeyPem()));

        Assert.Contains("pkcs8 -topk8", error.Message);
    }

    [Fact]
    public void Keys_on_another_curve_are_refused()
    {
        using var key = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP384);

        Assert.Throws<SealingKeyFormatException>(() => SealingKeyPair.FromPem(key.ExportPkcs8PrivateKeyPem()));
        Assert.Throws<SealingKeyFormatException>(() => SealingPublicKey.FromPem(key.ExportSubjectPublicKeyInfoPem()));
    }

    [Fact]
    public void A_private_key_is_not_accepted_where_a_public_key_is_expected()
    {
        using var pair = SealingKeyPair.Generate();
        var privatePem = pair.ExportPrivateKeyPem();

        var error = Assert.Throws<SealingKeyFormatException>(() => SealingPublicKey.FromPem(privatePem));

        Assert.DoesNotContain(PemBody(privatePem), error.Message);
    }

    [Fact]
    public void Text_with_two_pem_blocks_is_refused()
    {
        using var first = SealingKeyPair.Generate();
        using var second = SealingKeyPair.Generate();

        Assert.Throws<SealingKeyFormatException>(() => SealingKeyPair.FromPem(first.ExportPrivateKeyPem() + second.ExportPrivateKeyPem()));
    }

    [Fact]
    public void A_point_off_the_curve_or_of_the_wrong_shape_is_refused()
    {
        using var pair = SealingKeyPair.Generate();
        var offCurve = pair.PublicKey.ExportPoint();
        offCurve[10] ^= 0x01;
        var compressedPrefix = pair.PublicKey.ExportPoint();
        compressedPrefix[0] = 0x02;

        Assert.Throws<SealingKeyFormatException>(() => SealingPublicKey.FromPoint(offCurve));
        Assert.Throws<SealingKeyFormatException>(() => SealingPublicKey.FromPoint(compressedPrefix));
        Assert.Throws<SealingKeyFormatException>(() => SealingPublicKey.FromPoint(pair.PublicKey.ExportPoint().AsSpan(0, 64)));
        Assert.Throws<SealingKeyFormatException>(() => SealingPublicKey.FromBase64Point(" " + pair.PublicKey.ExportBase64Point()));
    }

    private static string PemBody(string pem) => pem.Split('\n')[1];
}
