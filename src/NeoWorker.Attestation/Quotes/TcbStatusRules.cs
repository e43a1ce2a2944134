namespace NeoWorker.Attestation.Quotes;

/// <summary>Intel's status names, and how the QE's TCB status degrades the platform's (as Intel's QVL combines them).</summary>
internal static class TcbStatusRules
{
    private static readonly Dictionary<string, TcbStatus> IntelNames = new(StringComparer.Ordinal)
    {
        ["UpToDate"] = TcbStatus.UpToDate,
        ["SWHardeningNeeded"] = TcbStatus.SWHardeningNeeded,
        ["ConfigurationNeeded"] = TcbStatus.ConfigurationNeeded,
        ["ConfigurationAndSWHardeningNeeded"] = TcbStatus.ConfigurationAndSWHardeningNeeded,
        ["OutOfDate"] = TcbStatus.OutOfDate,
        ["OutOfDateConfigurationNeeded"] = TcbStatus.OutOfDateConfigurationNeeded,
        ["Revoked"] = TcbStatus.Revoked,
    };

    public static bool TryParse(string name, out TcbStatus status) => IntelNames.TryGetValue(name, out status);

    /// <summary>An out-of-date QE makes an otherwise current platform out of date; a revoked QE revokes it.</summary>
    public static TcbStatus Converge(TcbStatus platform, TcbStatus qe) => qe switch
    {
        TcbStatus.OutOfDate => platform switch
        {
            TcbStatus.UpToDate or TcbStatus.SWHardeningNeeded => TcbStatus.OutOfDate,
            TcbStatus.ConfigurationNeeded or TcbStatus.ConfigurationAndSWHardeningNeeded => TcbStatus.OutOfDateConfigurationNeeded,
            _ => platform,
        },
        TcbStatus.Revoked => TcbStatus.Revoked,
        _ => platform,
    };
}
