using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace NeoWorker.Attestation.Quotes;

/// <summary>
/// The collateral half of hardware-quote verification: TCB Info and QE Identity must be signed by a TCB Signing
/// certificate that chains to the trust root, be current, and describe this platform and this QE; then the matched
/// levels give the TCB status and advisories.
/// </summary>
internal static class TcbCollateralEvaluator
{
    public static readonly string[] CheckNames =
    [
        QuoteCheckNames.TcbInfoSigningChain, QuoteCheckNames.TcbInfoSignature, QuoteCheckNames.TcbInfoValidity,
        QuoteCheckNames.TcbInfoPlatform, QuoteCheckNames.TcbLevel, QuoteCheckNames.QeIdentitySigningChain,
        QuoteCheckNames.QeIdentitySignature, QuoteCheckNames.QeIdentityValidity, QuoteCheckNames.QeIdentityMatch,
        QuoteCheckNames.QeTcbLevel,
    ];

    public static (TcbStatus Status, IReadOnlyList<string> AdvisoryIds) Evaluate(SgxQuote quote, PckCertificateExtensions? pck,
        string? pckProblem, QuoteCollateral collateral, X509Certificate2 trustRoot, DateTimeOffset at, QuoteCheckList checks)
    {
        var platform = EvaluatePlatform(pck, pckProblem, collateral, trustRoot, at, checks);
        var qe = EvaluateQe(quote.SignatureData.QeReport, collateral, trustRoot, at, checks);
        // A status read from collateral that is not Intel's (bad chain or signature) would be a guess: report none.
        if (platform is null || qe is null || !platform.Value.Authentic || !qe.Value.Authentic) return (TcbStatus.NotEvaluated, []);

        var advisories = platform.Value.Level.AdvisoryIds.Concat(qe.Value.Level.AdvisoryIds).Distinct(StringComparer.Ordinal).ToArray();
        return (TcbStatusRules.Converge(platform.Value.Status, qe.Value.Status), advisories);
    }

    private static (TcbLevel Level, TcbStatus Status, bool Authentic)? EvaluatePlatform(PckCertificateExtensions? pck, string? pckProblem,
        QuoteCollateral collateral, X509Certificate2 trustRoot, DateTimeOffset at, QuoteCheckList checks)
    {
        var (body, authentic) = VerifySigned(collateral.TcbInfoJson, collateral.TcbInfoIssuerChainPem, "tcbInfo", "TCB Info",
            QuoteCheckNames.TcbInfoSigningChain, QuoteCheckNames.TcbInfoSignature, trustRoot, at, checks);
        if (body is null)
        {
            SkipRest(checks, "TCB Info could not be read", QuoteCheckNames.TcbInfoValidity, QuoteCheckNames.TcbInfoPlatform, QuoteCheckNames.TcbLevel);
            return null;
        }

        TcbInfo info;
        try
        {
            info = TcbInfo.Parse(body.Value);
        }
        catch (CollateralFormatException e)
        {
            checks.Fail(QuoteCheckNames.TcbInfoValidity, e.Message);
            SkipRest(checks, "TCB Info could not be read", QuoteCheckNames.TcbInfoPlatform, QuoteCheckNames.TcbLevel);
            return null;
        }

        CheckCurrent(checks, QuoteCheckNames.TcbInfoValidity, $"TCB Info v{info.Version} (evaluation data number {info.TcbEvaluationDataNumber})",
            info.IssueDate, info.NextUpdate, at);

        if (pck is null)
        {
            checks.Fail(QuoteCheckNames.TcbInfoPlatform, pckProblem ?? "No PCK certificate SGX extension to match.");
            checks.Skip(QuoteCheckNames.TcbLevel, "No PCK certificate TCB to match.");
            return null;
        }

        var fmspcMatches = pck.Fmspc.Span.SequenceEqual(info.Fmspc);
        var pceIdMatches = pck.PceId.Span.SequenceEqual(info.PceId);
        checks.Add(QuoteCheckNames.TcbInfoPlatform, fmspcMatches && pceIdMatches,
            fmspcMatches && pceIdMatches
                ? $"FMSPC {pck.FmspcHex} and PCE-ID {pck.PceIdHex} match the TCB Info."
                : $"The TCB Info is for FMSPC {Hex(info.Fmspc)} / PCE-ID {Hex(info.PceId)}, but the PCK certificate has FMSPC {pck.FmspcHex} / PCE-ID {pck.PceIdHex}.");

        var level = info.Levels.FirstOrDefault(l => l.IsMetBy(pck));
        var svns = $"component SVNs {string.Join(",", pck.TcbComponentSvns)}, PCESVN {pck.PceSvn}";
        if (level is null)
        {
            checks.Fail(QuoteCheckNames.TcbLevel, $"No TCB level of the TCB Info is met by the PCK certificate's {svns} (the platform is older than any level Intel lists).");
            return null;
        }
        if (!TcbStatusRules.TryParse(level.Status, out var status))
        {
            checks.Fail(QuoteCheckNames.TcbLevel, $"The matched TCB level has an unknown status '{level.Status}'.");
            return null;
        }
        var advisories = level.AdvisoryIds.Count == 0 ? "" : $", advisories {string.Join(", ", level.AdvisoryIds)}";
        checks.Pass(QuoteCheckNames.TcbLevel,
            $"The PCK certificate's {svns} meet the level (component SVNs {string.Join(",", level.ComponentSvns)}, PCESVN {level.PceSvn}, TCB date {UtcText.Of(level.TcbDate)}) with status {status}{advisories}.");
        return (level, status, authentic);
    }

    private static (QeTcbLevel Level, TcbStatus Status, bool Authentic)? EvaluateQe(SgxReportBody qeReport, QuoteCollateral collateral,
        X509Certificate2 trustRoot, DateTimeOffset at, QuoteCheckList checks)
    {
        var (body, authentic) = VerifySigned(collateral.QeIdentityJson, collateral.QeIdentityIssuerChainPem, "enclaveIdentity", "QE Identity",
            QuoteCheckNames.QeIdentitySigningChain, QuoteCheckNames.QeIdentitySignature, trustRoot, at, checks);
        if (body is null)
        {
            SkipRest(checks, "QE Identity could not be read", QuoteCheckNames.QeIdentityValidity, QuoteCheckNames.QeIdentityMatch, QuoteCheckNames.QeTcbLevel);
            return null;
        }

        QeIdentity identity;
        try
        {
            identity = QeIdentity.Parse(body.Value);
        }
        catch (CollateralFormatException e)
        {
            checks.Fail(QuoteCheckNames.QeIdentityValidity, e.Message);
            SkipRest(checks, "QE Identity could not be read", QuoteCheckNames.QeIdentityMatch, QuoteCheckNames.QeTcbLevel);
            return null;
        }

        CheckCurrent(checks, QuoteCheckNames.QeIdentityValidity, "QE Identity", identity.IssueDate, identity.NextUpdate, at);

        var mismatches = new List<string>();
        if (!qeReport.MrSigner.Span.SequenceEqual(identity.MrSigner))
            mismatches.Add($"MRSIGNER {qeReport.MrSignerHex} is not Intel's QE signer {Hex(identity.MrSigner)}");
        if (qeReport.IsvProdId != identity.IsvProdId)
            mismatches.Add($"ISVPRODID {qeReport.IsvProdId} is not {identity.IsvProdId}");
        if ((qeReport.MiscSelect & identity.MiscSelectMask) != identity.MiscSelect)
            mismatches.Add($"MISCSELECT {qeReport.MiscSelect:x8} under mask {identity.MiscSelectMask:x8} is not {identity.MiscSelect:x8}");
        var attributes = qeReport.Attributes.ToArray();
        if (!Enumerable.Range(0, 16).All(i => (attributes[i] & identity.AttributesMask[i]) == identity.Attributes[i]))
            mismatches.Add($"ATTRIBUTES {Convert.ToHexStringLower(attributes)} under mask {Hex(identity.AttributesMask)} are not {Hex(identity.Attributes)}");
        checks.Add(QuoteCheckNames.QeIdentityMatch, mismatches.Count == 0,
            mismatches.Count == 0
                ? $"The QE report matches the QE Identity (MRSIGNER, ISVPRODID {identity.IsvProdId}, MISCSELECT and ATTRIBUTES under their masks)."
                : $"The QE report is not the quoting enclave Intel describes: {string.Join("; ", mismatches)}.");

        var level = identity.Levels.FirstOrDefault(l => qeReport.IsvSvn >= l.IsvSvn);
        if (level is null)
        {
            checks.Fail(QuoteCheckNames.QeTcbLevel, $"The QE's ISVSVN {qeReport.IsvSvn} is below every QE Identity TCB level.");
            return null;
        }
        if (!TcbStatusRules.TryParse(level.Status, out var status))
        {
            checks.Fail(QuoteCheckNames.QeTcbLevel, $"The matched QE TCB level has an unknown status '{level.Status}'.");
            return null;
        }
        checks.Pass(QuoteCheckNames.QeTcbLevel, $"The QE's ISVSVN {qeReport.IsvSvn} meets level ISVSVN {level.IsvSvn} with status {status}.");
        return mismatches.Count == 0 ? (level, status, authentic) : null;
    }

    /// <summary>Checks the issuer chain and the signature over the raw body; returns the body (if it could be sliced out) and whether both held.</summary>
    private static (ReadOnlyMemory<byte>? Body, bool Authentic) VerifySigned(string? json, string? issuerChainPem, string bodyProperty, string what,
        string chainCheck, string signatureCheck, X509Certificate2 trustRoot, DateTimeOffset at, QuoteCheckList checks)
    {
        if (json is null)
        {
            checks.Fail(chainCheck, $"No {what} supplied; TCB Info and QE Identity are needed together to evaluate the TCB.");
            checks.Skip(signatureCheck, $"No {what} supplied.");
            return (null, false);
        }

        TrustChainResult? chain = null;
        if (issuerChainPem is null)
        {
            checks.Fail(chainCheck, $"No {what} issuer chain (TCB Signing certificate and root) supplied.");
        }
        else
        {
            try
            {
                var certificates = CertificatePemChain.Read(issuerChainPem, message => new CollateralFormatException(message));
                chain = TrustChain.Validate(certificates, trustRoot, at, $"{what} issuer chain");
                checks.Add(chainCheck, chain.IsValid, chain.Detail);
            }
            catch (CollateralFormatException e)
            {
                checks.Fail(chainCheck, $"The {what} issuer chain cannot be read: {e.Message}");
            }
        }

        SignedCollateralDocument document;
        try
        {
            document = SignedCollateralDocument.Parse(json, bodyProperty, what);
        }
        catch (CollateralFormatException e)
        {
            checks.Fail(signatureCheck, e.Message);
            return (null, false);
        }

        if (chain is null || chain.Path.Count == 0)
        {
            checks.Fail(signatureCheck, $"No TCB Signing certificate to verify the {what} signature with.");
            return (document.Body, false);
        }

        using var signer = X509CertificateLoader.LoadCertificate(chain.Path[0]);
        using var key = signer.GetECDsaPublicKey();
        var valid = key is not null && key.VerifyData(document.Body.Span, document.Signature, HashAlgorithmName.SHA256,
            DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        checks.Add(signatureCheck, valid,
            valid
                ? $"The {what} body ({document.Body.Length} bytes as served) is signed by '{CertificateNames.Of(signer)}'."
                : $"The {what} signature does not verify with '{CertificateNames.Of(signer)}' over the body as served: it was altered or signed by another key.");
        return (document.Body, valid && chain.IsValid);
    }

    private static void CheckCurrent(QuoteCheckList checks, string name, string what, DateTimeOffset issueDate, DateTimeOffset nextUpdate, DateTimeOffset at)
    {
        var window = $"issued {UtcText.Of(issueDate)}, next update {UtcText.Of(nextUpdate)}";
        if (at < issueDate)
            checks.Fail(name, $"{what} is not yet issued at {UtcText.Of(at)} ({window}).");
        else if (at > nextUpdate)
            checks.Fail(name, $"{what} is stale at {UtcText.Of(at)} ({window}); fetch current collateral.");
        else
            checks.Pass(name, $"{what} is current at {UtcText.Of(at)} ({window}).");
    }

    private static void SkipRest(QuoteCheckList checks, string reason, params string[] names)
    {
        foreach (var name in names) checks.Skip(name, reason + ".");
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
