using System.Text.Json.Serialization;

namespace NeoWorker.Enclave.Protocol;

// The newline-delimited JSON protocol between the host and the runner (runner/README.md).

internal sealed record RunnerLimits(
    [property: JsonPropertyName("timeoutMs")] int TimeoutMs,
    [property: JsonPropertyName("memoryMb")] int MemoryMb,
    [property: JsonPropertyName("maxResultBytes")] int MaxResultBytes,
    [property: JsonPropertyName("maxLogBytes")] int MaxLogBytes,
    [property: JsonPropertyName("maxCodeBytes")] int MaxCodeBytes,
    [property: JsonPropertyName("maxInputBytes")] int MaxInputBytes,
    [property: JsonPropertyName("maxSecretsBytes")] int MaxSecretsBytes);

internal sealed record ExecuteRequest(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("input")] string? Input,
    [property: JsonPropertyName("sealedSecrets")] string? SealedSecrets,
    [property: JsonPropertyName("namedSecrets")] IReadOnlyDictionary<string, string>? NamedSecrets,
    [property: JsonPropertyName("userId")] string UserId,
    [property: JsonPropertyName("functionId")] string FunctionId,
    [property: JsonPropertyName("limits")] RunnerLimits Limits)
{
    [JsonPropertyName("type")]
    public string Type => "execute";
}

internal sealed record PingRequest([property: JsonPropertyName("id")] string Id)
{
    [JsonPropertyName("type")]
    public string Type => "ping";
}

/// <summary>Stops the job with this id (the runner answers it Canceled, or with its outcome if it had just finished).</summary>
internal sealed record CancelRequest([property: JsonPropertyName("id")] string Id)
{
    [JsonPropertyName("type")]
    public string Type => "cancel";
}

/// <summary>Any line the runner writes; which fields are set depends on <see cref="Type"/>.</summary>
internal sealed record RunnerMessage
{
    [JsonPropertyName("type")] public string? Type { get; init; }
    [JsonPropertyName("id")] public string? Id { get; init; }
    [JsonPropertyName("status")] public string? Status { get; init; }
    [JsonPropertyName("result")] public string? Result { get; init; }
    [JsonPropertyName("errorCode")] public string? ErrorCode { get; init; }
    [JsonPropertyName("error")] public string? Error { get; init; }
    [JsonPropertyName("logs")] public string? Logs { get; init; }
    [JsonPropertyName("logsTruncated")] public bool LogsTruncated { get; init; }
    [JsonPropertyName("executionTimeMs")] public long ExecutionTimeMs { get; init; }
    [JsonPropertyName("gasUsed")] public long GasUsed { get; init; }

    /// <summary>The runner ends itself after this result (an isolate it could not reclaim): replace it.</summary>
    [JsonPropertyName("ending")] public bool Ending { get; init; }
    [JsonPropertyName("pid")] public int? Pid { get; init; }
    [JsonPropertyName("protocol")] public int? Protocol { get; init; }
    [JsonPropertyName("attestation")] public RunnerAttestation? Attestation { get; init; }
    [JsonPropertyName("proof")] public RunnerProof? Proof { get; init; }
}

/// <summary>The enclave key and the evidence binding it, from the ready message.</summary>
internal sealed record RunnerAttestation(
    [property: JsonPropertyName("enclavePublicKey")] string EnclavePublicKey,
    [property: JsonPropertyName("enclaveKeyId")] string EnclaveKeyId,
    [property: JsonPropertyName("evidenceType")] string EvidenceType,
    [property: JsonPropertyName("evidence")] string Evidence,
    [property: JsonPropertyName("simulated")] bool Simulated,
    [property: JsonPropertyName("mrenclave")] string? MrEnclave);

/// <summary>The enclave's signature over one job's canonical statement.</summary>
internal sealed record RunnerProof(
    [property: JsonPropertyName("statement")] string Statement,
    [property: JsonPropertyName("signature")] string Signature);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ExecuteRequest))]
[JsonSerializable(typeof(PingRequest))]
[JsonSerializable(typeof(CancelRequest))]
[JsonSerializable(typeof(RunnerMessage))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
internal sealed partial class RunnerJsonContext : JsonSerializerContext;
