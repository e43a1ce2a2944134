using System.Security.Cryptography;
using System.Text.Json;

namespace NeoWorker.Attestation.Sealing;

/// <summary>
/// The enclave's side of one key release, as the runner does it in JavaScript (runner/src/keyRelease.js): holds a fresh
/// transport key and the request made with it, and opens the one release that answers that request. Single use: after a
/// release was opened, further ones are refused (<see cref="KeyReleaseRejection.NoPendingRequest"/>). Dispose it.
/// </summary>
public sealed class KeyReleaseRecipient : IDisposable
{
    private readonly Lock gate = new();
    private SealingKeyPair? transport;

    /// <summary>Makes a transport key and a request signed by <paramref name="enclaveKey"/>, carrying <paramref name="evidence"/>.</summary>
    public KeyReleaseRecipient(ECDsa enclaveKey, ReadOnlySpan<byte> evidence)
    {
        transport = SealingKeyPair.Generate();
        Request = KeyReleaseRequest.Create(enclaveKey, evidence, transport.PublicKey);
    }

    private KeyReleaseRecipient(SealingKeyPair transport, KeyReleaseRequest request)
    {
        this.transport = transport;
        Request = request;
    }

    public KeyReleaseRequest Request { get; }

    /// <summary>
    /// A recipient for a request made elsewhere, from its transport private key (tests: the cross-language vectors).
    /// Takes ownership of <paramref name="transport"/>.
    /// </summary>
    public static KeyReleaseRecipient ForRequest(SealingKeyPair transport, KeyReleaseRequest request)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(request);
        if (!transport.PublicKey.ExportPoint().AsSpan().SequenceEqual(request.TransportPublicKey.Span))
            throw new ArgumentException("The transport key is not the request's.", nameof(transport));
        return new KeyReleaseRecipient(transport, request);
    }

    /// <summary>Opens the release that answers <see cref="Request"/>.</summary>
    /// <returns>The sealing key pairs, in the envelope's order (newest first); the caller owns and disposes them.</returns>
    /// <exception cref="KeyReleaseException">Any reason in <see cref="KeyReleaseRejection"/>.</exception>
    public IReadOnlyList<SealingKeyPair> Open(string releaseEnvelope)
    {
        ArgumentNullException.ThrowIfNull(releaseEnvelope);
        lock (gate)
        {
            if (transport is null) throw new KeyReleaseException(KeyReleaseRejection.NoPendingRequest, "no key request is outstanding");
            var envelope = KeyReleaseEnvelope.Parse(releaseEnvelope);
            if (envelope.TransportKeyId != transport.KeyId)
                throw new KeyReleaseException(KeyReleaseRejection.WrongTransportKey, "the release is wrapped to another transport key (another enclave's request)");
            if (!envelope.RequestNonce.Span.SequenceEqual(Request.Nonce.Span))
                throw new KeyReleaseException(KeyReleaseRejection.WrongRequest, "the release answers another request of this transport key");

            var plaintext = Decrypt(envelope, transport);
            try
            {
                var keys = ReadKeys(plaintext, envelope.SealingKeyIds);
                transport.Dispose();
                transport = null;
                return keys;
            }
            finally
            {
                CryptographicOperations.ZeroMemory(plaintext);
            }
        }
    }

    private static byte[] Decrypt(KeyReleaseEnvelope envelope, SealingKeyPair transport)
    {
        byte[] sharedSecret;
        try
        {
            using var ephemeral = SealingFormat.ImportPoint(envelope.EphemeralPublicKey.Span);
            sharedSecret = transport.DeriveSharedSecret(ephemeral);
        }
        catch (CryptographicException)
        {
            throw new KeyReleaseException(KeyReleaseRejection.MalformedRelease, "\"epk\" is not a point on P-256");
        }

        var aesKey = SealingFormat.DeriveKey(sharedSecret, envelope.EphemeralPublicKey.Span, transport.PublicKey.Point, KeyReleaseFormat.Info);
        CryptographicOperations.ZeroMemory(sharedSecret);
        var ct = envelope.Ciphertext.Span;
        var plaintext = new byte[ct.Length - SealingFormat.TagLength];
        try
        {
            using var aes = new AesGcm(aesKey, SealingFormat.TagLength);
            aes.Decrypt(envelope.Nonce.Span, ct[..plaintext.Length], ct[plaintext.Length..], plaintext,
                KeyReleaseFormat.AssociatedData(envelope.TransportKeyId, envelope.SealingKeyIds, Convert.ToBase64String(envelope.RequestNonce.Span)));
            return plaintext;
        }
        catch (CryptographicException)
        {
            CryptographicOperations.ZeroMemory(plaintext);
            throw new KeyReleaseException(KeyReleaseRejection.DecryptionFailed, "the release does not open (altered, or its key ids or nonce changed)");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(aesKey);
        }
    }

    /// <summary><c>{"keys":[PEM, …]}</c>, exactly the keys the envelope names, in its order.</summary>
    private static List<SealingKeyPair> ReadKeys(byte[] plaintext, IReadOnlyList<string> expectedIds)
    {
        var pems = new List<string>();
        try
        {
            using var document = JsonDocument.Parse(plaintext, new JsonDocumentOptions { AllowDuplicateProperties = false });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || root.EnumerateObject().Count() != 1
                || !root.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Array)
                throw InvalidKeys("the plaintext is not {\"keys\":[…]}");
            foreach (var item in keys.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String) throw InvalidKeys("a key is not a PEM text");
                pems.Add(item.GetString()!);
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw InvalidKeys("the plaintext is not JSON");
        }

        if (pems.Count != expectedIds.Count) throw InvalidKeys($"{pems.Count} keys inside, {expectedIds.Count} named");
        var pairs = new List<SealingKeyPair>();
        try
        {
            for (var i = 0; i < pems.Count; i++)
            {
                SealingKeyPair pair;
                try
                {
                    pair = SealingKeyPair.FromPem(pems[i]);
                }
                catch (SealingKeyFormatException)
                {
                    throw InvalidKeys($"key {i + 1} is not a P-256 PKCS#8 private key");
                }

                pairs.Add(pair);
                if (pair.KeyId != expectedIds[i]) throw InvalidKeys($"key {i + 1} is not the key {expectedIds[i]} the release names");
            }
            return pairs;
        }
        catch
        {
            pairs.ForEach(p => p.Dispose());
            throw;
        }
    }

    private static KeyReleaseException InvalidKeys(string detail) => new(KeyReleaseRejection.InvalidKeys, detail);

    public void Dispose()
    {
        lock (gate)
        {
            transport?.Dispose();
            transport = null;
        }
    }
}
