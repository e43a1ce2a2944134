namespace NeoWorker.Attestation.Providers;

internal static class AttestationArguments
{
    public const int ReportDataLength = 64;

    public static void RequireReportData(byte[] reportData)
    {
        ArgumentNullException.ThrowIfNull(reportData);
        if (reportData.Length != ReportDataLength)
            throw new ArgumentException($"Report data must be exactly {ReportDataLength} bytes (SGX REPORTDATA); got {reportData.Length}.", nameof(reportData));
    }
}
