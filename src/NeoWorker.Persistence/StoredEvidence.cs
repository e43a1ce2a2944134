using System.Collections.Concurrent;

namespace NeoWorker.Persistence;

/// <summary>
/// Enclave keys whose evidence this process has already stored. An enclave signs thousands of jobs
/// with one key; its quote (several KB) need be written once, not sent with every job's terminal write.
/// Evidence rows are never deleted (retention keeps them), so a remembered key stays valid.
/// </summary>
public sealed class StoredEvidence
{
    private readonly ConcurrentDictionary<string, bool> _keys = new(StringComparer.Ordinal);

    public bool Contains(string enclaveKeyId) => _keys.ContainsKey(enclaveKeyId);

    public void Add(string enclaveKeyId) => _keys.TryAdd(enclaveKeyId, true);

    public void Forget(string enclaveKeyId) => _keys.TryRemove(enclaveKeyId, out _);
}
