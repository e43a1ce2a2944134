namespace NeoWorker.Attestation.Quotes;

/// <summary>One platform TCB level of a TCB Info: the minimum SVNs it needs and the status it earns.</summary>
internal sealed record TcbLevel(
    IReadOnlyList<int> ComponentSvns,
    int PceSvn,
    DateTimeOffset TcbDate,
    string Status,
    IReadOnlyList<string> AdvisoryIds)
{
    /// <summary>Intel's rule: every one of the PCK certificate's 16 component SVNs and its PCESVN is at least this level's.</summary>
    public bool IsMetBy(PckCertificateExtensions pck) =>
        pck.PceSvn >= PceSvn && ComponentSvns.Select((svn, i) => pck.TcbComponentSvns[i] >= svn).All(met => met);
}
