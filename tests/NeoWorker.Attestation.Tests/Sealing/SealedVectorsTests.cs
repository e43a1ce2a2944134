using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using NeoWorker.Attestation.Sealing;

namespace NeoWorker.Attestation.Tests.Sealing;

/// <summary>
/// The vectors the JavaScript runner's tests unseal too. With NEOWORKER_WRITE_VECTORS=1 the file is
/// written afresh (new throwaway keys and envelopes) before being checked; otherwise the committed file is checked.
/// </summary>
public sealed class SealedVectorsTests
{
    private const string RelativePath = "src/NeoWorker.Enclave/runner/test/fixtures/sealed-vectors.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    [Fact]
    public void The_cross_language_vectors_unseal_or_fail_with_their_reasons()
    {
        var path = Path.Combine(RepositoryRoot(), RelativePath);
        if (Environment.GetEnvironmentVariable("NEOWORKER_WRITE_VECTORS") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, JsonSerializer.Serialize(Generate(), Json) + "\n", new UTF8Encoding(false));
        }

        Assert.True(File.Exists(path), $"{RelativePath} is missing: run the tests once with NEOWORKER_WRITE_VECTORS=1.");
        var vectors = JsonSerializer.Deserialize<SealedVectorFile>(File.ReadAllText(path), Json)!;
        var keys = vectors.ThrowawayTestPrivateKeysPem.Select(SealingKeyPair.FromPem).ToList();
        try
        {
            var unsealer = new SecretUnsealer(keys, vectors.MaxPlaintextBytes);
            Assert.NotEmpty(vectors.ValidEnvelopes);
            Assert.NotEmpty(vectors.InvalidEnvelopes);
            foreach (var v in vectors.ValidEnvelopes)
            {
                Assert.Equal(v.Kid, SealedEnvelope.Parse(v.Envelope).KeyId);
                Assert.Equal(v.Plaintext, unsealer.Unseal(v.Envelope, v.UserId, v.FunctionId));
            }
            foreach (var v in vectors.InvalidEnvelopes)
            {
                var error = Assert.Throws<SealedSecretsException>(() => unsealer.Unseal(v.Envelope, v.UserId, v.FunctionId));
                Assert.True(v.Reason == error.Reason.ToString(), $"{v.Name}: expected {v.Reason}, got {error.Reason}");
            }
        }
        finally
        {
            keys.ForEach(k => k.Dispose());
        }
    }

    private static SealedVectorFile Generate()
    {
        using var first = SealingKeyPair.Generate();
        using var second = SealingKeyPair.Generate();
        using var unknown = SealingKeyPair.Generate();
        using var stranger = SealingKeyPair.Generate();
        var sealer = new SecretSealer();

        SealedVectorFile.Valid Valid(string name, SealingKeyPair key, string userId, string functionId, string plaintext)
            => new(name, key.KeyId, userId, functionId, plaintext, sealer.Seal(key.PublicKey, plaintext, userId, functionId));

        var valid = new List<SealedVectorFile.Valid>
        {
            Valid("ascii", first, "user-1", "function-1", """{"apiKey":"sk-test-0123456789","region":"eu-west-1"}"""),
            Valid("non-ascii secret", first, "user-1", "function-2", """{"pässwort":"秘密🔑 naïve","emoji":"😀"}"""),
            Valid("second key (rotation), nested, whitespace", second, "user-2", "function-1", "{ \"db\": {\"user\": \"app\", \"port\": 5432},\n  \"hosts\": [\"a\", \"b\"] }"),
            Valid("non-ascii user and function ids", second, "用户-ü", "fn-é", """{"k":"v"}"""),
            Valid("empty object", first, "u", "f", "{}"),
            Valid("json escapes, a lone surrogate among them", first, "u", "f", """{"a":"\ud800 \u00e9 \n \"","b":-0.5e-3}"""),
        };

        var baseline = valid[0];
        SealedVectorFile.Invalid Invalid(string name, SealedSecretsReason reason, string envelope, string? userId = null, string? functionId = null)
            => new(name, userId ?? baseline.UserId, functionId ?? baseline.FunctionId, reason.ToString(), envelope);
        string SealRaw(byte[] plaintext) => SecretSealer.SealBytes(first.PublicKey, plaintext, baseline.UserId, baseline.FunctionId);

        var e = baseline.Envelope;
        var invalid = new List<SealedVectorFile.Invalid>
        {
            Invalid("another user", SealedSecretsReason.DecryptionFailed, e, userId: "user-2"),
            Invalid("another function", SealedSecretsReason.DecryptionFailed, e, functionId: "function-2"),
            Invalid("user and function shifted", SealedSecretsReason.DecryptionFailed, e, userId: "user-1function-1", functionId: "x"),
            Invalid("tampered ciphertext", SealedSecretsReason.DecryptionFailed, EnvelopeText.Flip(e, "ct", 0)),
            Invalid("tampered tag", SealedSecretsReason.DecryptionFailed, EnvelopeText.Flip(e, "ct", -1)),
            Invalid("tampered nonce", SealedSecretsReason.DecryptionFailed, EnvelopeText.Flip(e, "nonce", 0)),
            Invalid("epk replaced by another valid point", SealedSecretsReason.DecryptionFailed, EnvelopeText.WithBytes(e, "epk", stranger.PublicKey.ExportPoint())),
            Invalid("kid relabelled to the other known key", SealedSecretsReason.DecryptionFailed, EnvelopeText.WithString(e, "kid", second.KeyId)),
            Invalid("epk off the curve", SealedSecretsReason.MalformedEnvelope, EnvelopeText.Flip(e, "epk", 40)),
            Invalid("epk compressed-point prefix", SealedSecretsReason.MalformedEnvelope, WithFirstByte(e, "epk", 0x02)),
            Invalid("unknown kid", SealedSecretsReason.UnknownKeyId, sealer.Seal(unknown.PublicKey, baseline.Plaintext, baseline.UserId, baseline.FunctionId)),
            Invalid("version 2", SealedSecretsReason.UnsupportedVersion, EnvelopeText.With(e, "v", "2")),
            Invalid("another alg", SealedSecretsReason.UnsupportedVersion, EnvelopeText.WithString(e, "alg", "ECDH-ES+A256KW")),
            Invalid("future version with other fields", SealedSecretsReason.UnsupportedVersion, """{"v":2,"suite":"x","data":{"a":[1]}}"""),
            Invalid("not json", SealedSecretsReason.MalformedEnvelope, "this is not json"),
            Invalid("truncated json", SealedSecretsReason.MalformedEnvelope, e[..^1]),
            Invalid("empty text", SealedSecretsReason.MalformedEnvelope, ""),
            Invalid("array", SealedSecretsReason.MalformedEnvelope, "[" + e + "]"),
            Invalid("v missing", SealedSecretsReason.MalformedEnvelope, EnvelopeText.With(e, "v", null)),
            Invalid("v a string", SealedSecretsReason.MalformedEnvelope, EnvelopeText.With(e, "v", "\"1\"")),
            Invalid("ct missing", SealedSecretsReason.MalformedEnvelope, EnvelopeText.With(e, "ct", null)),
            Invalid("extra property", SealedSecretsReason.MalformedEnvelope, EnvelopeText.WithString(e, "note", "hi")),
            Invalid("duplicated property", SealedSecretsReason.MalformedEnvelope, e.Replace("\"v\":1,", "\"v\":1,\"v\":1,", StringComparison.Ordinal)),
            Invalid("duplicated property, escaped name", SealedSecretsReason.MalformedEnvelope, e.Replace("\"v\":1,", "\"v\":1,\"\\u0076\":1,", StringComparison.Ordinal)),
            Invalid("names escaping lone surrogates", SealedSecretsReason.MalformedEnvelope, """{"\ud800":1,"\udc00":2}"""),
            Invalid("kid too short", SealedSecretsReason.MalformedEnvelope, EnvelopeText.WithString(e, "kid", baseline.Kid[..15])),
            Invalid("kid not base64url", SealedSecretsReason.MalformedEnvelope, EnvelopeText.WithString(e, "kid", baseline.Kid[..15] + "+")),
            Invalid("epk with a line break", SealedSecretsReason.MalformedEnvelope, EnvelopeText.WithString(e, "epk", EnvelopeText.Field(e, "epk").Insert(40, "\n"))),
            Invalid("epk with a spare bit set", SealedSecretsReason.MalformedEnvelope, EnvelopeText.WithString(e, "epk", WithSpareBitSet(EnvelopeText.Field(e, "epk")))),
            Invalid("ct without its padding", SealedSecretsReason.MalformedEnvelope, EnvelopeText.WithString(e, "ct", EnvelopeText.Field(e, "ct").TrimEnd('='))),
            Invalid("nonce in base64url", SealedSecretsReason.MalformedEnvelope, EnvelopeText.WithString(e, "nonce", new string('_', 16))),
            Invalid("nonce 11 bytes", SealedSecretsReason.MalformedEnvelope, EnvelopeText.WithBytes(e, "nonce", new byte[11])),
            Invalid("ct shorter than a tag", SealedSecretsReason.MalformedEnvelope, EnvelopeText.WithBytes(e, "ct", new byte[15])),
            Invalid("alg a number", SealedSecretsReason.MalformedEnvelope, EnvelopeText.With(e, "alg", "1")),
            Invalid("plaintext an array", SealedSecretsReason.InvalidPlaintext, SealRaw(Encoding.UTF8.GetBytes("[\"a\"]"))),
            Invalid("plaintext not json", SealedSecretsReason.InvalidPlaintext, SealRaw(Encoding.UTF8.GetBytes("{\"a\":"))),
            Invalid("plaintext not utf-8", SealedSecretsReason.InvalidPlaintext, SealRaw([(byte)'{', (byte)'"', 0xC3, (byte)'"', (byte)':', (byte)'1', (byte)'}'])),
            Invalid("plaintext with a byte-order mark", SealedSecretsReason.InvalidPlaintext, SealRaw([0xEF, 0xBB, 0xBF, (byte)'{', (byte)'}'])),
        };

        return new SealedVectorFile(
            "Cross-language vectors for sealed secrets (src/NeoWorker.Attestation/Sealing/README.md), written by " +
            "tests/NeoWorker.Attestation.Tests/Sealing/SealedVectorsTests.cs with NEOWORKER_WRITE_VECTORS=1 and read by " +
            "runner/test/secrets.test.js. The private keys are THROWAWAY TEST KEYS made for this file only: never use them for anything else.",
            [first.ExportPrivateKeyPem(), second.ExportPrivateKeyPem()],
            SecretSealer.DefaultMaxPlaintextBytes,
            valid,
            invalid);
    }

    private static string WithFirstByte(string envelope, string field, byte value)
    {
        var bytes = EnvelopeText.Bytes(envelope, field);
        bytes[0] = value;
        return EnvelopeText.WithBytes(envelope, field, bytes);
    }

    // A 65-byte value ends "xyz=": the character before '=' has two spare bits, zero in the canonical form.
    private static string WithSpareBitSet(string base64)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        return base64[..^2] + alphabet[alphabet.IndexOf(base64[^2], StringComparison.Ordinal) | 1] + "=";
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
