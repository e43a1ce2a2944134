using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using NeoWorker.Attestation.Proofs;
using NeoWorker.Attestation.Quotes;

namespace NeoWorker.Attestation.Sealing;

/// <summary>
/// The operator's side of the key release (README.md, "Key release"): verifies an enclave's key request with the same
/// trust and policy machinery as execution proofs, then wraps the fleet's sealing private keys to the request's
/// transport key. A request is allowed only when
/// <list type="bullet">
/// <item><c>request-format</c>: it is a version-1 request;</item>
/// <item><c>signature</c>: the enclave key signed the transport key and nonce;</item>
/// <item><c>evidence</c>: the quote is genuine under the trust root and satisfies the policy (MRENCLAVE/MRSIGNER,
/// debug, simulated, TCB, ISV SVN — the failing quote check is named in the detail);</item>
/// <item><c>key-binding</c>: the quote's REPORTDATA is SHA-256(enclave key) ‖ zeros;</item>
/// <item><c>policy-pinned</c>: the policy names at least one MRENCLAVE or MRSIGNER (else any enclave anyone can build would get the keys).</item>
/// </list>
/// Never throws for a bad request; the verdict says which check failed and why. Stateless and thread-safe.
/// </summary>
public sealed class SealingKeyReleaser(QuoteVerifier quotes)
{
    public const string RequestFormatCheck = "request-format";
    public const string SignatureCheck = "signature";
    public const string EvidenceCheck = "evidence";
    public const string KeyBindingCheck = "key-binding";
    public const string PolicyPinnedCheck = "policy-pinned";

    public SealingKeyReleaser()
        : this(new QuoteVerifier())
    {
    }

    /// <summary>Checks a request without releasing anything.</summary>
    public KeyReleaseVerdict Verify(string requestJson, ProofTrust trust)
    {
        ArgumentNullException.ThrowIfNull(requestJson);
        ArgumentNullException.ThrowIfNull(trust);
        var checks = new List<ProofCheck>();
        KeyReleaseRequest request;
        try
        {
            request = KeyReleaseRequest.Parse(requestJson);
            checks.Add(new ProofCheck(RequestFormatCheck, true, $"version 1, enclave key {request.EnclaveKeyId}, transport key {request.TransportKeyId}"));
        }
        catch (KeyReleaseRequestFormatException e)
        {
            checks.Add(new ProofCheck(RequestFormatCheck, false, e.Message));
            return new KeyReleaseVerdict(checks, null, null);
        }

        var signed = request.HasValidSignature();
        checks.Add(new ProofCheck(SignatureCheck, signed, signed
            ? "ECDSA P-256 by the enclave key over the transport key and nonce"
            : "the signature does not match the enclave key, transport key and nonce."));

        var evidence = trust.VerifyQuote(quotes, request.Evidence.Span);
        checks.Add(new ProofCheck(EvidenceCheck, evidence.IsValid, evidence.IsValid
            ? $"{(evidence.IsSimulated ? "simulated" : "SGX")} quote, MRENCLAVE {evidence.MrEnclaveHex}, MRSIGNER {evidence.MrSignerHex}, TCB {evidence.TcbStatus}"
            : evidence.FailureReason ?? "invalid quote"));
        if (evidence.Quote is not null)
        {
            var bound = evidence.ReportData.Span.SequenceEqual(EnclaveKeys.ReportData(request.EnclavePublicKey.Span));
            checks.Add(new ProofCheck(KeyBindingCheck, bound, bound
                ? "REPORTDATA = SHA-256(enclave key) ‖ zeros"
                : "the quote's REPORTDATA does not bind the enclave key that signed the request."));
        }

        var pinned = trust.Policy.AllowedMrEnclaves.Count > 0 || trust.Policy.AllowedMrSigners.Count > 0;
        checks.Add(new ProofCheck(PolicyPinnedCheck, pinned, pinned
            ? $"{trust.Policy.AllowedMrEnclaves.Count} MRENCLAVE and {trust.Policy.AllowedMrSigners.Count} MRSIGNER value(s) allowed"
            : "the policy allows any enclave: name the MRENCLAVE or MRSIGNER values that may receive the sealing keys."));
        return new KeyReleaseVerdict(checks, request, evidence);
    }

    /// <summary>
    /// Verifies the request and, when it is allowed, wraps <paramref name="sealingKeys"/> (newest first; the enclave
    /// unseals with any of them) to its transport key.
    /// </summary>
    public KeyReleaseVerdict Release(string requestJson, IReadOnlyList<SealingKeyPair> sealingKeys, ProofTrust trust)
    {
        ArgumentNullException.ThrowIfNull(sealingKeys);
        if (sealingKeys.Count is 0 or > KeyReleaseFormat.MaxSealingKeys)
            throw new ArgumentException($"Release 1 to {KeyReleaseFormat.MaxSealingKeys} sealing keys.", nameof(sealingKeys));
        if (sealingKeys.Select(k => k.KeyId).Distinct(StringComparer.Ordinal).Count() != sealingKeys.Count)
            throw new ArgumentException("Two sealing keys have the same key id.", nameof(sealingKeys));

        var verdict = Verify(requestJson, trust);
        if (!verdict.IsAllowed)
        {
            return verdict;
        }

        var ids = sealingKeys.Select(k => k.KeyId).ToList();
        return verdict with { Envelope = Wrap(verdict.Request!, sealingKeys), SealingKeyIds = ids };
    }

    /// <summary>Wraps the keys to the request's transport key, without any check (tests use it for vectors).</summary>
    internal static string Wrap(KeyReleaseRequest request, IReadOnlyList<SealingKeyPair> sealingKeys)
    {
        var plaintext = Plaintext(sealingKeys.Select(k => k.ExportPrivateKeyPem()));
        try
        {
            return WrapBytes(SealingPublicKey.FromPoint(request.TransportPublicKey.Span), [.. sealingKeys.Select(k => k.KeyId)],
                request.Nonce.Span, plaintext);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>UTF-8 of <c>{"keys":["&lt;PKCS#8 PEM&gt;",…]}</c>.</summary>
    internal static byte[] Plaintext(IEnumerable<string> privateKeyPems)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("keys");
            foreach (var pem in privateKeyPems)
            {
                writer.WriteStringValue(pem);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        var bytes = buffer.WrittenSpan.ToArray();
        buffer.Clear(); // zeroes what was written
        return bytes;
    }

    /// <summary>The wrapping itself: ECDH with a fresh ephemeral key, HKDF under "neoworker/key-release/v1", AES-256-GCM.</summary>
    internal static string WrapBytes(SealingPublicKey transportKey, IReadOnlyList<string> sealingKeyIds, ReadOnlySpan<byte> requestNonce,
        ReadOnlySpan<byte> plaintext)
    {
        var (epk, nonce, ct) = EnvelopeCipher.Encrypt(transportKey, plaintext, KeyReleaseFormat.Info,
            KeyReleaseFormat.AssociatedData(transportKey.KeyId, sealingKeyIds, Convert.ToBase64String(requestNonce)));
        return new KeyReleaseEnvelope(transportKey.KeyId, sealingKeyIds, requestNonce, epk, nonce, ct).Serialize();
    }
}
