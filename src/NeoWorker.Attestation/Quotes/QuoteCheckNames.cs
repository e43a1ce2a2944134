namespace NeoWorker.Attestation.Quotes;

/// <summary>The stable names of the verification steps, in the order the verifier runs them.</summary>
public static class QuoteCheckNames
{
    public const string Format = "quote-format";
    public const string QeVendor = "qe-vendor";
    public const string CertificationData = "certification-data";
    public const string PckChain = "pck-chain";
    public const string PckCrl = "pck-crl";
    public const string RootCaCrl = "root-ca-crl";
    public const string QeReportSignature = "qe-report-signature";
    public const string QeReportBinding = "qe-report-binding";
    public const string IsvReportSignature = "isv-report-signature";
    public const string TcbInfoSigningChain = "tcb-info-signing-chain";
    public const string TcbInfoSignature = "tcb-info-signature";
    public const string TcbInfoValidity = "tcb-info-validity";
    public const string TcbInfoPlatform = "tcb-info-platform";
    public const string TcbLevel = "tcb-level";
    public const string QeIdentitySigningChain = "qe-identity-signing-chain";
    public const string QeIdentitySignature = "qe-identity-signature";
    public const string QeIdentityValidity = "qe-identity-validity";
    public const string QeIdentityMatch = "qe-identity-match";
    public const string QeTcbLevel = "qe-tcb-level";
    public const string PolicySimulated = "policy-simulated";
    public const string PolicyTcbStatus = "policy-tcb-status";
    public const string PolicyDebug = "policy-debug";
    public const string PolicyMrEnclave = "policy-mrenclave";
    public const string PolicyMrSigner = "policy-mrsigner";
}
