namespace NeoWorker.Attestation.Quotes;

/// <summary>
/// The platform's TCB status: Intel's values (names as in TCB Info), plus <see cref="Simulated"/> for a NeoWorker
/// simulated quote and <see cref="NotEvaluated"/> when no TCB collateral was supplied or it could not be matched.
/// </summary>
public enum TcbStatus
{
    NotEvaluated,
    UpToDate,
    SWHardeningNeeded,
    ConfigurationNeeded,
    ConfigurationAndSWHardeningNeeded,
    OutOfDate,
    OutOfDateConfigurationNeeded,
    Revoked,
    Simulated,
}
