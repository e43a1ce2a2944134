namespace NeoWorker.Attestation.Quotes;

/// <summary>The outcome of building a certificate chain to a trust root: the path (DER, leaf first) and why it failed.</summary>
internal sealed record TrustChainResult(bool IsValid, string Detail, IReadOnlyList<byte[]> Path);
