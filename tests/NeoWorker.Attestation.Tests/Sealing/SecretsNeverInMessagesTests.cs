using System.Text;
using NeoWorker.Attestation.Sealing;

namespace NeoWorker.Attestation.Tests.Sealing;

/// <summary>Whatever goes wrong, no exception (message, inner exceptions, stack) repeats the secrets or a key.</summary>
public sealed class SecretsNeverInMessagesTests : IDisposable
{
    private const string Marker = "MARKER-do-not-leak-7f3c";
    private readonly SealingKeyPair key = SealingKeyPair.Generate();
    private readonly SealingKeyPair otherKey = SealingKeyPair.Generate();

    public void Dispose()
    {
        key.Dispose();
        otherKey.Dispose();
    }

    public static TheoryData<string> BadSecrets => new()
    {
        Marker,
        $"\"{Marker}\"",
        $"[\"{Marker}\"]",
        $"{{\"a\": {Marker}}}",
        $"{{\"{Marker}\": 1, \"{Marker}\": 2}}",
        $"{{\"a\": \"{Marker}\"",
        $"{{\"a\": \"{Marker}{new string('x', 70_000)}\"}}",
        $"{{\"a\": \"{Marker}\", }}",
    };

    [Theory]
    [MemberData(nameof(BadSecrets))]
    public void Refusing_to_seal_never_quotes_the_secrets(string secrets)
    {
        var error = Assert.Throws<SecretsFormatException>(() => new SecretSealer().Seal(key.PublicKey, secrets, "user", "function"));

        AssertClean(error);
    }

    [Fact]
    public void Refusing_to_seal_text_with_a_lone_surrogate_never_quotes_the_secrets()
        => AssertClean(Assert.Throws<SecretsFormatException>(() => new SecretSealer().Seal(key.PublicKey, $"{{\"a\": \"{Marker}\ud800\"}}", "user", "function")));

    [Fact]
    public void Refusing_to_unseal_never_quotes_the_secrets_or_the_key()
    {
        var sealer = new SecretSealer();
        var unsealer = new SecretUnsealer([key]);
        var secrets = $"{{\"token\":\"{Marker}\"}}";
        var envelope = sealer.Seal(key.PublicKey, secrets, "user", "function");
        var failures = new List<Exception>
        {
            Catch(() => unsealer.Unseal(envelope, "other-user", "function")),
            Catch(() => unsealer.Unseal(envelope, "user", "other-function")),
            Catch(() => unsealer.Unseal(EnvelopeText.Flip(envelope, "ct", 3), "user", "function")),
            Catch(() => unsealer.Unseal(EnvelopeText.Flip(envelope, "epk", 7), "user", "function")),
            Catch(() => unsealer.Unseal(sealer.Seal(otherKey.PublicKey, secrets, "user", "function"), "user", "function")),
            Catch(() => new SecretUnsealer([key], maxPlaintextBytes: 10).Unseal(envelope, "user", "function")),
            Catch(() => unsealer.Unseal(SecretSealer.SealBytes(key.PublicKey, Encoding.UTF8.GetBytes($"[\"{Marker}\"]"), "user", "function"), "user", "function")),
            Catch(() => unsealer.Unseal(SecretSealer.SealBytes(key.PublicKey, Encoding.UTF8.GetBytes($"{{\"a\": {Marker}}}"), "user", "function"), "user", "function")),
            Catch(() => unsealer.Unseal(SecretSealer.SealBytes(key.PublicKey, [.. Encoding.UTF8.GetBytes($"{{\"{Marker}\":\""), 0xFF, (byte)'"', (byte)'}'], "user", "function"), "user", "function")),
        };

        Assert.All(failures, e => Assert.IsType<SealedSecretsException>(e));
        Assert.All(failures, AssertClean);
    }

    [Fact]
    public void Refusing_a_key_never_quotes_it()
    {
        using var sec1 = System.Security.Cryptography.ECDiffieHellman.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var privatePem = key.ExportPrivateKeyPem();
        var body = privatePem.Split('\n')[1];
        var failures = new[]
        {
            Catch(() => SealingPublicKey.FromPem(privatePem)),
            Catch(() => SealingKeyPair.FromPem(privatePem.Replace(body[..20], body[..19] + "!", StringComparison.Ordinal))),
            Catch(() => SealingKeyPair.FromPem(privatePem.Replace(body[..8], "AAAAAAAA", StringComparison.Ordinal))),
            Catch(() => SealingKeyPair.FromPem(sec1.ExportECPrivateKeyPem())),
        };

        Assert.All(failures, e => Assert.IsType<SealingKeyFormatException>(e));
        Assert.All(failures, e => Assert.DoesNotContain(body[10..30], e.ToString()));
    }

    private static Exception Catch(Action action) => Assert.ThrowsAny<Exception>(action);

    private void AssertClean(Exception error)
    {
        var text = error.ToString();
        Assert.DoesNotContain(Marker, text);
        Assert.DoesNotContain(key.ExportPrivateKeyPem().Split('\n')[1][10..30], text);
    }
}
