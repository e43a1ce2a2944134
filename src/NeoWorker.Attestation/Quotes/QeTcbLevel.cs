namespace NeoWorker.Attestation.Quotes;

/// <summary>One TCB level of a QE Identity: the minimum QE ISVSVN and the status it earns.</summary>
internal sealed record QeTcbLevel(int IsvSvn, DateTimeOffset TcbDate, string Status, IReadOnlyList<string> AdvisoryIds);
