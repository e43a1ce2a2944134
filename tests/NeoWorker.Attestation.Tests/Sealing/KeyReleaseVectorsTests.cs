using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using NeoWorker.Attestation.Sealing;

namespace NeoWorker.Attestation.Tests.Sealing;

/// <summary>
/// The key-release vectors the JavaScript runner's tests open too (runner/test/keyRelease.test.js). With
/// NEOWORKER_WRITE_VECTORS=1 the file is written afresh (new throwaway keys) before being checked; otherwise the
/// committed file is checked.
/// </summary>
public sealed class KeyReleaseVectorsTests
{
    private const string RelativePath = "src/NeoWorker.Enclave/runner/test/fixtures/key-release-vectors.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    [Fact]
    public void The_cross_language_releases_open_or_fail_with_their_reasons()
    {
        var path = Path.Combine(RepositoryRoot(), RelativePath);
        if (Environment.GetEnvironmentVariable("NEOWORKER_WRITE_VECTORS") == "1")
        {
            File.WriteAllText(path, JsonSerializer.Serialize(Generate(), Json) + "\n", new UTF8Encoding(false));
        }

        Assert.True(File.Exists(path), $"{RelativePath} is missing: run the tests once with NEOWORKER_WRITE_VECTORS=1.");
        var vectors = JsonSerializer.Deserialize<KeyReleaseVectorFile>(File.ReadAllText(path), Json)!;
        var request = KeyReleaseRequest.Parse(vectors.Request);
        var sealingIds = vectors.ThrowawaySealingPrivateKeysPem.Select(pem =>
        {
            using var key = SealingKeyPair.FromPem(pem);
            return key.KeyId;
        }).ToList();
        Assert.NotEmpty(vectors.ValidReleases);
        Assert.True(vectors.InvalidReleases.Count >= 15);

        foreach (var v in vectors.ValidReleases)
        {
            using var recipient = Recipient(vectors, request);
            var keys = recipient.Open(v.Release);
            Assert.Equal(v.SealingKeyIds, keys.Select(k => k.KeyId));
            Assert.All(keys, k => Assert.Contains(k.KeyId, sealingIds));
            foreach (var key in keys) key.Dispose();
        }

        foreach (var v in vectors.InvalidReleases)
        {
            using var recipient = Recipient(vectors, request);
            var error = Assert.Throws<KeyReleaseException>(() => recipient.Open(v.Release));
            Assert.True(v.Reason == error.Reason.ToString(), $"{v.Name}: expected {v.Reason}, got {error.Reason}");
        }
    }

    private static KeyReleaseRecipient Recipient(KeyReleaseVectorFile vectors, KeyReleaseRequest request) =>
        KeyReleaseRecipient.ForRequest(SealingKeyPair.FromPem(vectors.ThrowawayTransportPrivateKeyPem), request);

    private static KeyReleaseVectorFile Generate()
    {
        using var enclaveKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var transport = SealingKeyPair.Generate();
        using var otherTransport = SealingKeyPair.Generate();
        using var first = SealingKeyPair.Generate();
        using var second = SealingKeyPair.Generate();
        using var stranger = SealingKeyPair.Generate();
        var evidence = Encoding.ASCII.GetBytes("dummy evidence: the enclave side does not read it");
        var request = KeyReleaseRequest.Create(enclaveKey, evidence, transport.PublicKey);
        var otherRequest = KeyReleaseRequest.Create(enclaveKey, evidence, otherTransport.PublicKey);
        var sameKeyOtherNonce = KeyReleaseRequest.Create(enclaveKey, evidence, transport.PublicKey);

        var valid = new List<KeyReleaseVectorFile.Valid>
        {
            new("one key", [first.KeyId], SealingKeyReleaser.Wrap(request, [first])),
            new("two keys, newest first (rotation)", [second.KeyId, first.KeyId], SealingKeyReleaser.Wrap(request, [second, first])),
        };

        var e = valid[0].Release;
        string Raw(string text, IReadOnlyList<string> ids) =>
            SealingKeyReleaser.WrapBytes(transport.PublicKey, ids, request.Nonce.Span, Encoding.UTF8.GetBytes(text));
        string Keys(params SealingKeyPair[] keys) => Encoding.UTF8.GetString(SealingKeyReleaser.Plaintext(keys.Select(k => k.ExportPrivateKeyPem())));
        KeyReleaseVectorFile.Invalid Invalid(string name, KeyReleaseRejection reason, string release) => new(name, reason.ToString(), release);

        var invalid = new List<KeyReleaseVectorFile.Invalid>
        {
            Invalid("wrapped to another enclave's transport key", KeyReleaseRejection.WrongTransportKey, SealingKeyReleaser.Wrap(otherRequest, [first])),
            Invalid("answers another request of the same transport key", KeyReleaseRejection.WrongRequest, SealingKeyReleaser.Wrap(sameKeyOtherNonce, [first])),
            Invalid("requestNonce altered", KeyReleaseRejection.WrongRequest, EnvelopeText.Flip(e, "requestNonce", 0)),
            Invalid("kid relabelled", KeyReleaseRejection.WrongTransportKey, EnvelopeText.WithString(e, "kid", otherTransport.KeyId)),
            Invalid("sealing key ids relabelled", KeyReleaseRejection.DecryptionFailed, EnvelopeText.With(e, "sealingKeyIds", $"[\"{second.KeyId}\"]")),
            Invalid("sealing key ids reordered", KeyReleaseRejection.DecryptionFailed,
                EnvelopeText.With(valid[1].Release, "sealingKeyIds", $"[\"{first.KeyId}\",\"{second.KeyId}\"]")),
            Invalid("tampered ciphertext", KeyReleaseRejection.DecryptionFailed, EnvelopeText.Flip(e, "ct", 0)),
            Invalid("tampered tag", KeyReleaseRejection.DecryptionFailed, EnvelopeText.Flip(e, "ct", -1)),
            Invalid("tampered nonce", KeyReleaseRejection.DecryptionFailed, EnvelopeText.Flip(e, "nonce", 0)),
            Invalid("epk replaced by another valid point", KeyReleaseRejection.DecryptionFailed, EnvelopeText.WithBytes(e, "epk", stranger.PublicKey.ExportPoint())),
            Invalid("epk off the curve", KeyReleaseRejection.MalformedRelease, EnvelopeText.Flip(e, "epk", 40)),
            Invalid("version 2", KeyReleaseRejection.UnsupportedVersion, EnvelopeText.With(e, "v", "2")),
            Invalid("another alg", KeyReleaseRejection.UnsupportedVersion, EnvelopeText.WithString(e, "alg", "ECDH-ES+A256KW")),
            Invalid("not json", KeyReleaseRejection.MalformedRelease, "this is not json"),
            Invalid("a sealed-secrets envelope instead", KeyReleaseRejection.MalformedRelease,
                new SecretSealer().Seal(transport.PublicKey, "{}", "user-1", "function-1")),
            Invalid("extra property", KeyReleaseRejection.MalformedRelease, EnvelopeText.WithString(e, "note", "hi")),
            Invalid("duplicated property", KeyReleaseRejection.MalformedRelease, e.Replace("\"v\":1,", "\"v\":1,\"v\":1,", StringComparison.Ordinal)),
            Invalid("sealingKeyIds missing", KeyReleaseRejection.MalformedRelease, EnvelopeText.With(e, "sealingKeyIds", null)),
            Invalid("sealingKeyIds empty", KeyReleaseRejection.MalformedRelease, EnvelopeText.With(e, "sealingKeyIds", "[]")),
            Invalid("sealingKeyIds repeats a key", KeyReleaseRejection.MalformedRelease, EnvelopeText.With(e, "sealingKeyIds", $"[\"{first.KeyId}\",\"{first.KeyId}\"]")),
            Invalid("sealingKeyIds a string", KeyReleaseRejection.MalformedRelease, EnvelopeText.WithString(e, "sealingKeyIds", first.KeyId)),
            Invalid("requestNonce 15 bytes", KeyReleaseRejection.MalformedRelease, EnvelopeText.WithBytes(e, "requestNonce", new byte[15])),
            Invalid("kid not base64url", KeyReleaseRejection.MalformedRelease, EnvelopeText.WithString(e, "kid", transport.KeyId[..15] + "+")),
            Invalid("plaintext not json", KeyReleaseRejection.InvalidKeys, Raw("{\"keys\":", [first.KeyId])),
            Invalid("plaintext with another property", KeyReleaseRejection.InvalidKeys, Raw(Keys(first)[..^1] + ",\"more\":1}", [first.KeyId])),
            Invalid("holds another key than it names", KeyReleaseRejection.InvalidKeys, Raw(Keys(stranger), [first.KeyId])),
            Invalid("names two keys, holds one", KeyReleaseRejection.InvalidKeys, Raw(Keys(first), [first.KeyId, second.KeyId])),
            Invalid("a key that is not PKCS#8", KeyReleaseRejection.InvalidKeys, Raw("{\"keys\":[\"-----BEGIN EC PRIVATE KEY-----\\nAA==\\n-----END EC PRIVATE KEY-----\\n\"]}", [first.KeyId])),
        };

        return new KeyReleaseVectorFile(
            "Cross-language vectors for the sealing-key release (src/NeoWorker.Attestation/Sealing/README.md, \"Key release\"), written by " +
            "tests/NeoWorker.Attestation.Tests/Sealing/KeyReleaseVectorsTests.cs with NEOWORKER_WRITE_VECTORS=1 and read by " +
            "runner/test/keyRelease.test.js. Every private key here is a THROWAWAY TEST KEY made for this file only: never use them for anything else.",
            request.Serialize(),
            transport.ExportPrivateKeyPem(),
            [first.ExportPrivateKeyPem(), second.ExportPrivateKeyPem()],
            valid,
            invalid);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "src", "NeoWorker.Attestation"))) return dir.FullName;
        }
        throw new InvalidOperationException("The repository root (with src/NeoWorker.Attestation) is not above the test binaries.");
    }
}
