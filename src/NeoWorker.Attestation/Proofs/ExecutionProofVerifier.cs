using System.Security.Cryptography;
using System.Text;
using NeoWorker.Attestation.Quotes;
using NeoWorker.Contracts;

namespace NeoWorker.Attestation.Proofs;

/// <summary>
/// Verifies an <see cref="ExecutionProof"/> offline: the statement is canonical, the enclave key
/// signed it, the evidence is a genuine quote (Intel root, or the deployment's simulation root when
/// simulated quotes are allowed) whose REPORTDATA binds that key, and the statement says what the
/// verifier expects. Never throws for a bad proof; the result says which step failed and why.
/// </summary>
public sealed class ExecutionProofVerifier(QuoteVerifier quotes)
{
    public ExecutionProofVerifier()
        : this(new QuoteVerifier())
    {
    }

    public ProofVerificationResult Verify(ExecutionProof proof, ProofTrust trust, ProofExpectations? expected = null)
    {
        ArgumentNullException.ThrowIfNull(proof);
        ArgumentNullException.ThrowIfNull(trust);
        var checks = new List<ProofCheck>();

        var statement = ProofStatement.TryParse(proof.Statement ?? "", out var statementError);
        checks.Add(new ProofCheck("statement", statement is not null, statementError ?? "canonical statement"));

        var point = FromBase64(proof.EnclavePublicKey);
        var signature = FromBase64(proof.Signature);
        checks.Add(SignatureCheck(proof.Statement ?? "", point, signature));

        if (statement is not null && point is not null)
        {
            var keyId = EnclaveKeys.KeyId(point);
            checks.Add(new ProofCheck("enclave-key-id", keyId == statement.EnclaveKeyId,
                keyId == statement.EnclaveKeyId ? keyId : $"the statement names key {statement.EnclaveKeyId}, the proof carries key {keyId}."));
        }

        QuoteVerificationResult? evidence = null;
        var quote = FromBase64(proof.Evidence);
        if (quote is null)
        {
            checks.Add(new ProofCheck("evidence", false, "the evidence is not base64."));
        }
        else
        {
            evidence = trust.VerifyQuote(quotes, quote);
            checks.Add(new ProofCheck("evidence", evidence.IsValid,
                evidence.IsValid ? $"{(evidence.IsSimulated ? "simulated" : "SGX")} quote, MRENCLAVE {evidence.MrEnclaveHex}, TCB {evidence.TcbStatus}" : evidence.FailureReason ?? "invalid quote"));
            if (point is not null && evidence.Quote is not null)
            {
                var bound = evidence.ReportData.Span.SequenceEqual(EnclaveKeys.ReportData(point));
                checks.Add(new ProofCheck("key-binding", bound,
                    bound ? "REPORTDATA = SHA-256(enclave key) ‖ zeros" : "the quote's REPORTDATA does not bind the enclave key that signed the statement."));
            }
        }

        if (statement is not null && expected is not null)
        {
            checks.AddRange(ExpectationChecks(statement, expected));
        }

        return new ProofVerificationResult(checks, statement, evidence);
    }

    private static ProofCheck SignatureCheck(string statement, byte[]? point, byte[]? signature)
    {
        if (point is null || signature is null)
        {
            return new ProofCheck("signature", false, "the enclave public key or the signature is not base64.");
        }

        try
        {
            using var key = EnclaveKeys.Import(point);
            var valid = key.VerifyData(Encoding.UTF8.GetBytes(statement), signature, HashAlgorithmName.SHA256,
                DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            return new ProofCheck("signature", valid, valid ? "ECDSA P-256 over the statement by the enclave key" : "the signature does not match the statement and key.");
        }
        catch (CryptographicException ex)
        {
            return new ProofCheck("signature", false, ex.Message);
        }
    }

    private static IEnumerable<ProofCheck> ExpectationChecks(ProofStatement statement, ProofExpectations expected)
    {
        IEnumerable<(string Name, string? Expected, string Actual)> pairs =
        [
            ("jobId", expected.JobId, statement.JobId),
            ("functionId", expected.FunctionId, statement.FunctionId),
            ("userId", expected.UserId, statement.UserId),
            ("codeSha256", expected.Code is null ? null : ContentHash.Sha256Hex(expected.Code), statement.CodeSha256),
            ("inputSha256", expected.Input is null ? null : ContentHash.Sha256Hex(expected.Input), statement.InputSha256),
            ("status", expected.Status, statement.Status),
            ("resultSha256", expected.Result is null ? null : ContentHash.Sha256Hex(expected.Result), statement.ResultSha256),
        ];
        foreach (var (name, wanted, actual) in pairs.Where(p => p.Expected is not null))
        {
            var matches = string.Equals(wanted, actual, StringComparison.OrdinalIgnoreCase);
            yield return new ProofCheck($"expected-{name}", matches, matches ? actual : $"expected {wanted}, the statement says {actual}.");
        }
    }

    private static byte[]? FromBase64(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
