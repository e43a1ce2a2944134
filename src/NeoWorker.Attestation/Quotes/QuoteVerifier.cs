using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace NeoWorker.Attestation.Quotes;

/// <summary>
/// Verifies an SGX DCAP ECDSA v3 quote offline against one trust root: the Intel SGX Root CA for hardware quotes,
/// or a deployment's simulation root for simulated ones. It never throws for a bad quote or bad collateral; it
/// records every step in the result. It throws only for programmer errors (null arguments, malformed policy).
/// Certificates, CRLs and collateral are checked at the injected clock's current time.
/// </summary>
public sealed class QuoteVerifier(TimeProvider clock)
{
    /// <summary>
    /// The check of <see cref="QuotePolicy.MinimumIsvSvn"/>, recorded after <c>policy-mrsigner</c> only when the policy sets a minimum.
    /// </summary>
    public const string PolicyMinimumIsvSvnCheck = "policy-isvsvn";

    private readonly TimeProvider clock = clock ?? throw new ArgumentNullException(nameof(clock));

    public QuoteVerifier()
        : this(TimeProvider.System)
    {
    }

    public QuoteVerificationResult Verify(ReadOnlySpan<byte> quote, X509Certificate2 trustRoot, QuoteCollateral? collateral = null,
        QuotePolicy? policy = null)
    {
        ArgumentNullException.ThrowIfNull(trustRoot);
        policy ??= QuotePolicy.Default;
        var allowedMrEnclaves = Measurements(policy.AllowedMrEnclaves, nameof(QuotePolicy.AllowedMrEnclaves));
        var allowedMrSigners = Measurements(policy.AllowedMrSigners, nameof(QuotePolicy.AllowedMrSigners));
        var at = clock.GetUtcNow();
        var checks = new QuoteCheckList();

        SgxQuote parsed;
        try
        {
            parsed = SgxQuote.Parse(quote);
            checks.Pass(QuoteCheckNames.Format, $"SGX DCAP ECDSA quote v3, {quote.Length} bytes.");
        }
        catch (QuoteFormatException e)
        {
            checks.Fail(QuoteCheckNames.Format, e.Message);
            return new QuoteVerificationResult(checks.Items, null, false, TcbStatus.NotEvaluated, [], at);
        }

        var isSimulated = parsed.ClaimsSimulated;
        CheckVendor(parsed, trustRoot, checks);

        // The PCK chain: the quote's own certificates must lead to the given root, and none may be revoked.
        var signatureData = parsed.SignatureData;
        IReadOnlyList<byte[]> pckPath = [];
        if (signatureData.CertificationDataType != SgxQuoteSignatureData.PckCertChainType)
        {
            checks.Fail(QuoteCheckNames.CertificationData,
                $"Certification data type {signatureData.CertificationDataType}; only type 5 (PEM PCK certificate chain) can be verified offline.");
            checks.Skip(QuoteCheckNames.PckChain, "No PCK certificate chain in the quote.");
        }
        else
        {
            checks.Pass(QuoteCheckNames.CertificationData, $"Type 5: {signatureData.PckCertificateChain.Count} PEM certificates, leaf first.");
            var chain = TrustChain.Validate(signatureData.PckCertificateChain.Select(der => der.ToArray()).ToArray(), trustRoot, at, "PCK certificate chain");
            checks.Add(QuoteCheckNames.PckChain, chain.IsValid, chain.Detail);
            pckPath = chain.Path;
        }
        RevocationChecks.CheckPck(collateral?.PckCrl, pckPath, at, checks);
        RevocationChecks.CheckRoot(collateral?.RootCaCrl, trustRoot, pckPath.Concat(TcbSigningCertificates(collateral)), at, checks);

        using var pckLeaf = LoadLeaf(signatureData);
        CheckQeReportSignature(signatureData, pckLeaf, checks);
        CheckQeReportBinding(signatureData, checks);
        CheckIsvReportSignature(parsed, checks);

        var (tcbStatus, advisoryIds) = EvaluateTcb(parsed, isSimulated, pckLeaf, collateral, trustRoot, at, checks);
        CheckPolicy(parsed, isSimulated, tcbStatus, collateral?.HasTcbCollateral ?? false, policy, allowedMrEnclaves, allowedMrSigners, checks);
        return new QuoteVerificationResult(checks.Items, parsed, isSimulated, tcbStatus, advisoryIds, at);
    }

    // Hardware and simulation must never pass for each other: Intel's vendor id only with Intel's root, ours only without it.
    private static void CheckVendor(SgxQuote quote, X509Certificate2 trustRoot, QuoteCheckList checks)
    {
        var rootIsIntel = IntelSgx.IsRootCa(trustRoot);
        var vendor = quote.Header.QeVendorId.Span;
        var rootName = CertificateNames.Of(trustRoot);
        if (quote.ClaimsSimulated)
        {
            checks.Add(QuoteCheckNames.QeVendor, !rootIsIntel, rootIsIntel
                ? $"The quote is marked simulated (QE vendor id '{SimulatedQuote.VendorIdText}') but is being verified against the Intel SGX Root CA; simulated quotes verify only against a simulation root."
                : $"Simulated QE vendor id '{SimulatedQuote.VendorIdText}', verified against the simulation root '{rootName}'.");
        }
        else if (vendor.SequenceEqual(IntelSgx.QeVendorId))
        {
            checks.Add(QuoteCheckNames.QeVendor, rootIsIntel, rootIsIntel
                ? "Intel QE vendor id, verified against the Intel SGX Root CA."
                : $"The quote carries Intel's QE vendor id but the trust root '{rootName}' is not the Intel SGX Root CA; a hardware quote must chain to Intel.");
        }
        else
        {
            checks.Fail(QuoteCheckNames.QeVendor,
                $"Unknown QE vendor id {Convert.ToHexStringLower(vendor)}; expected Intel's {IntelSgx.QeVendorIdHex} or the simulated {SimulatedQuote.VendorIdHex}.");
        }
    }

    private static X509Certificate2? LoadLeaf(SgxQuoteSignatureData signatureData)
    {
        if (signatureData.PckCertificateChain.Count == 0) return null;
        try
        {
            return X509CertificateLoader.LoadCertificate(signatureData.PckCertificateChain[0].Span);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    // The PCK key (certified by the chain) vouches for the QE report, and so for the attestation key it binds.
    private static void CheckQeReportSignature(SgxQuoteSignatureData signatureData, X509Certificate2? pckLeaf, QuoteCheckList checks)
    {
        if (pckLeaf is null)
        {
            checks.Fail(QuoteCheckNames.QeReportSignature, "No readable PCK leaf certificate to verify the QE report signature with.");
            return;
        }
        using var pckKey = pckLeaf.GetECDsaPublicKey();
        var valid = pckKey is not null && pckKey.VerifyData(signatureData.QeReport.Raw.Span, signatureData.QeReportSignature.Span,
            HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        checks.Add(QuoteCheckNames.QeReportSignature, valid, valid
            ? $"The QE report is signed by the PCK key of '{CertificateNames.Of(pckLeaf)}'."
            : "The QE report signature does not verify with the PCK certificate's key: the QE report or its signature was altered, or the certificate is not the signer's.");
    }

    // REPORTDATA of the QE report = SHA-256(attestation key ‖ QE auth data) ‖ 32 zero bytes: the QE vouches for this key.
    private static void CheckQeReportBinding(SgxQuoteSignatureData signatureData, QuoteCheckList checks)
    {
        var expected = new byte[64];
        SHA256.HashData([.. signatureData.AttestationKey.Span, .. signatureData.QeAuthData.Span], expected);
        var actual = signatureData.QeReport.ReportData.Span;
        var valid = actual.SequenceEqual(expected);
        checks.Add(QuoteCheckNames.QeReportBinding, valid, valid
            ? "The QE report's REPORTDATA is SHA-256(attestation key ‖ QE auth data) followed by 32 zero bytes."
            : $"The QE report's REPORTDATA {Convert.ToHexStringLower(actual[..32])}… does not bind the attestation key and QE auth data (expected {Convert.ToHexStringLower(expected.AsSpan(0, 32))} then zeros).");
    }

    // The attestation key signs header ‖ ISV report body: this is what makes MRENCLAVE, MRSIGNER and REPORTDATA believable.
    private static void CheckIsvReportSignature(SgxQuote quote, QuoteCheckList checks)
    {
        var keyBytes = quote.SignatureData.AttestationKey.Span;
        ECDsa key;
        try
        {
            key = ECDsa.Create(new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256,
                Q = new ECPoint { X = keyBytes[..32].ToArray(), Y = keyBytes[32..].ToArray() },
            });
        }
        catch (CryptographicException)
        {
            checks.Fail(QuoteCheckNames.IsvReportSignature, "The attestation key is not a valid P-256 public key.");
            return;
        }
        using (key)
        {
            var valid = key.VerifyData(quote.SignedBytes.Span, quote.SignatureData.IsvReportSignature.Span, HashAlgorithmName.SHA256,
                DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            checks.Add(QuoteCheckNames.IsvReportSignature, valid, valid
                ? "The header and ISV enclave report are signed by the attestation key."
                : "The ISV report signature does not verify with the attestation key: the header or enclave report (MRENCLAVE, MRSIGNER, attributes, REPORTDATA) or the signature was altered.");
        }
    }

    private static (TcbStatus, IReadOnlyList<string>) EvaluateTcb(SgxQuote quote, bool isSimulated, X509Certificate2? pckLeaf,
        QuoteCollateral? collateral, X509Certificate2 trustRoot, DateTimeOffset at, QuoteCheckList checks)
    {
        if (isSimulated)
        {
            foreach (var name in TcbCollateralEvaluator.CheckNames)
                checks.Skip(name, "Simulated quote: there is no platform TCB, so Intel TCB Info and QE Identity do not apply.");
            return (TcbStatus.Simulated, []);
        }
        if (collateral is null || !collateral.HasTcbCollateral)
        {
            foreach (var name in TcbCollateralEvaluator.CheckNames)
                checks.Skip(name, "No TCB Info or QE Identity supplied; the platform TCB was not evaluated.");
            return (TcbStatus.NotEvaluated, []);
        }

        PckCertificateExtensions? pck = null;
        string? pckProblem = null;
        try
        {
            pck = pckLeaf is null ? null : PckCertificateExtensions.Read(pckLeaf);
            pckProblem = pckLeaf is null ? "No readable PCK leaf certificate." : null;
        }
        catch (QuoteFormatException e)
        {
            pckProblem = e.Message;
        }
        return TcbCollateralEvaluator.Evaluate(quote, pck, pckProblem, collateral, trustRoot, at, checks);
    }

    private static void CheckPolicy(SgxQuote quote, bool isSimulated, TcbStatus tcbStatus, bool hasTcbCollateral, QuotePolicy policy,
        HashSet<string> allowedMrEnclaves, HashSet<string> allowedMrSigners, QuoteCheckList checks)
    {
        if (isSimulated)
            checks.Add(QuoteCheckNames.PolicySimulated, policy.AllowSimulated, policy.AllowSimulated
                ? "Simulated quote accepted: the policy allows simulated evidence (no SGX hardware is proven)."
                : $"The quote is simulated (QE vendor id '{SimulatedQuote.VendorIdText}'): it proves no SGX hardware, and this policy refuses simulated evidence.");
        else
            checks.Pass(QuoteCheckNames.PolicySimulated, "Hardware quote (not simulated).");

        if (isSimulated)
            checks.Skip(QuoteCheckNames.PolicyTcbStatus, "Simulated quote: no TCB status; AllowSimulated decides.");
        else if (policy.AcceptedTcbStatuses.Contains(tcbStatus))
            checks.Pass(QuoteCheckNames.PolicyTcbStatus, $"TCB status {tcbStatus} is accepted.");
        else
            checks.Fail(QuoteCheckNames.PolicyTcbStatus, tcbStatus != TcbStatus.NotEvaluated
                ? $"TCB status {tcbStatus} is not accepted (accepted: {string.Join(", ", policy.AcceptedTcbStatuses.Order())})."
                : hasTcbCollateral
                    ? "The TCB status could not be established: the supplied TCB collateral did not verify or did not match (see the failed checks)."
                    : "The TCB status was not evaluated: no TCB Info and QE Identity were supplied, and the policy does not accept NotEvaluated.");

        var body = quote.ReportBody;
        if (!body.IsDebug)
            checks.Pass(QuoteCheckNames.PolicyDebug, "Production enclave (ATTRIBUTES DEBUG flag clear).");
        else
            checks.Add(QuoteCheckNames.PolicyDebug, policy.AllowDebug, policy.AllowDebug
                ? "Debug enclave accepted: the policy allows debug enclaves."
                : "The enclave is a DEBUG enclave (ATTRIBUTES DEBUG flag set): the host can read its memory, and this policy refuses debug enclaves.");

        CheckAllowed(checks, QuoteCheckNames.PolicyMrEnclave, "MRENCLAVE", body.MrEnclaveHex, allowedMrEnclaves);
        CheckAllowed(checks, QuoteCheckNames.PolicyMrSigner, "MRSIGNER", body.MrSignerHex, allowedMrSigners);

        if (policy.MinimumIsvSvn is { } minimum)
            checks.Add(PolicyMinimumIsvSvnCheck, body.IsvSvn >= minimum, body.IsvSvn >= minimum
                ? $"ISV SVN {body.IsvSvn} is at least the policy's minimum {minimum}."
                : $"ISV SVN {body.IsvSvn} is lower than the policy's minimum ISV SVN {minimum}: the enclave's security version predates what this policy accepts.");
    }

    private static void CheckAllowed(QuoteCheckList checks, string name, string what, string value, HashSet<string> allowed)
    {
        if (allowed.Count == 0)
            checks.Pass(name, $"{what} {value}: the policy allows any.");
        else
            checks.Add(name, allowed.Contains(value), allowed.Contains(value)
                ? $"{what} {value} is allowed."
                : $"{what} {value} is not one of the {allowed.Count} allowed by the policy.");
    }

    private static IEnumerable<byte[]> TcbSigningCertificates(QuoteCollateral? collateral)
    {
        foreach (var pem in new[] { collateral?.TcbInfoIssuerChainPem, collateral?.QeIdentityIssuerChainPem })
        {
            if (pem is null) continue;
            IReadOnlyList<byte[]> certificates;
            try
            {
                certificates = CertificatePemChain.Read(pem, message => new CollateralFormatException(message));
            }
            catch (CollateralFormatException)
            {
                continue; // reported by the signing-chain check
            }
            foreach (var der in certificates) yield return der;
        }
    }

    // A malformed allow-list is a configuration error, not a property of the quote.
    private static HashSet<string> Measurements(IReadOnlyCollection<string> values, string name)
    {
        ArgumentNullException.ThrowIfNull(values, name);
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            if (value is not { Length: 64 } || !value.All(char.IsAsciiHexDigit))
                throw new ArgumentException($"QuotePolicy.{name} entries must be 64 hex digits; got '{value}'.", nameof(values));
            set.Add(value.ToLowerInvariant());
        }
        return set;
    }
}
