using System.Text.Json;

namespace NeoWorker.Attestation.Proofs;

/// <summary>
/// What an enclave signs for one job. Its text form is canonical: these keys in this order, no
/// whitespace, JSON string escaping as JavaScript's JSON.stringify writes it; the hashes are
/// lowercase hex SHA-256 of the UTF-8 code, input text and result text (of "" when absent).
/// </summary>
public sealed record ProofStatement(
    string JobId,
    string FunctionId,
    string UserId,
    string CodeSha256,
    string InputSha256,
    string Status,
    string ResultSha256,
    string ExecutedAt,
    string EnclaveKeyId)
{
    private static readonly string[] Keys =
        ["jobId", "functionId", "userId", "codeSha256", "inputSha256", "status", "resultSha256", "executedAt", "enclaveKeyId"];

    /// <summary>Parses a statement, refusing anything that is not exactly the canonical shape.</summary>
    public static ProofStatement? TryParse(string text, out string? error)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            var properties = document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.EnumerateObject().ToList() : [];
            if (properties.Count != Keys.Length || !properties.Select(p => p.Name).SequenceEqual(Keys)
                || properties.Any(p => p.Value.ValueKind != JsonValueKind.String))
            {
                error = $"the statement must be an object of exactly these string fields, in order: {string.Join(", ", Keys)}.";
                return null;
            }

            var values = properties.Select(p => p.Value.GetString()!).ToArray();
            error = null;
            return new ProofStatement(values[0], values[1], values[2], values[3], values[4], values[5], values[6], values[7], values[8]);
        }
        catch (JsonException)
        {
            error = "the statement is not JSON.";
            return null;
        }
    }
}
