using NeoWorker.Attestation.Quotes;

namespace NeoWorker.Attestation.Tests.Quotes;

/// <summary>TCB Info and QE Identity are believed only as served and signed, and only for the platform they describe.</summary>
public sealed class CollateralTests
{
    private static QuoteVerificationResult VerifyA(QuoteCollateral collateral) =>
        SgxTestData.VerifyAt(SgxTestData.TimeA, SgxTestData.QuoteA, collateral);

    [Fact]
    public void An_edited_tcb_info_body_fails_its_signature_and_yields_no_status()
    {
        var collateral = SgxTestData.CollateralA();
        var edited = new QuoteCollateral
        {
            TcbInfoJson = collateral.TcbInfoJson!.Replace("\"tcbStatus\":\"ConfigurationAndSWHardeningNeeded\"", "\"tcbStatus\":\"UpToDate\"", StringComparison.Ordinal),
            TcbInfoIssuerChainPem = collateral.TcbInfoIssuerChainPem,
            QeIdentityJson = collateral.QeIdentityJson,
            QeIdentityIssuerChainPem = collateral.QeIdentityIssuerChainPem,
        };

        var result = VerifyA(edited);

        QuoteAssert.FailedExactly(result, QuoteCheckNames.TcbInfoSignature, QuoteCheckNames.PolicyTcbStatus);
        Assert.Equal(TcbStatus.NotEvaluated, result.TcbStatus);
        Assert.Contains("altered", result.Check(QuoteCheckNames.TcbInfoSignature)!.Detail);
    }

    [Fact]
    public void A_reserialized_body_fails_the_signature_because_it_covers_the_bytes_as_served()
    {
        var collateral = SgxTestData.CollateralA();
        var reformatted = new QuoteCollateral
        {
            TcbInfoJson = collateral.TcbInfoJson,
            TcbInfoIssuerChainPem = collateral.TcbInfoIssuerChainPem,
            QeIdentityJson = collateral.QeIdentityJson!.Replace("\"id\":\"QE\"", "\"id\": \"QE\"", StringComparison.Ordinal),
            QeIdentityIssuerChainPem = collateral.QeIdentityIssuerChainPem,
        };

        var result = VerifyA(reformatted);

        QuoteAssert.FailedExactly(result, QuoteCheckNames.QeIdentitySignature, QuoteCheckNames.PolicyTcbStatus);
    }

    [Fact]
    public void Whitespace_around_the_signed_body_does_not_matter()
    {
        var collateral = SgxTestData.CollateralA();
        var spaced = new QuoteCollateral
        {
            TcbInfoJson = "{\n  \"tcbInfo\" : " + collateral.TcbInfoJson!["{\"tcbInfo\":".Length..].Replace(",\"signature\":", ",\n  \"signature\" : ", StringComparison.Ordinal) + "\n",
            TcbInfoIssuerChainPem = collateral.TcbInfoIssuerChainPem,
            QeIdentityJson = collateral.QeIdentityJson,
            QeIdentityIssuerChainPem = collateral.QeIdentityIssuerChainPem,
        };

        QuoteAssert.Valid(VerifyA(spaced));
    }

    [Fact]
    public void Another_platforms_collateral_fails_the_fmspc_match_and_the_crl_issuer()
    {
        var result = SgxTestData.VerifyAt(SgxTestData.TimeA, SgxTestData.QuoteB, SgxTestData.CollateralA());

        var platform = QuoteAssert.Failed(result, QuoteCheckNames.TcbInfoPlatform);
        Assert.Contains("TCB Info is for FMSPC 00a067110000", platform.Detail);
        Assert.Contains("PCK certificate has FMSPC 00606a000000", platform.Detail);
        Assert.Contains("Intel SGX PCK Processor CA", QuoteAssert.Failed(result, QuoteCheckNames.PckCrl).Detail);
    }

    [Fact]
    public void Tcb_info_without_qe_identity_is_incomplete()
    {
        var collateral = SgxTestData.CollateralA();
        var partial = new QuoteCollateral { TcbInfoJson = collateral.TcbInfoJson, TcbInfoIssuerChainPem = collateral.TcbInfoIssuerChainPem };

        var result = VerifyA(partial);

        Assert.Contains("needed together", QuoteAssert.Failed(result, QuoteCheckNames.QeIdentitySigningChain).Detail);
        Assert.Equal(TcbStatus.NotEvaluated, result.TcbStatus);
    }

    [Fact]
    public void A_missing_issuer_chain_fails_the_signing_chain_and_the_signature()
    {
        var collateral = SgxTestData.CollateralA();
        var noChain = new QuoteCollateral
        {
            TcbInfoJson = collateral.TcbInfoJson,
            QeIdentityJson = collateral.QeIdentityJson,
            QeIdentityIssuerChainPem = collateral.QeIdentityIssuerChainPem,
        };

        var result = VerifyA(noChain);

        QuoteAssert.FailedExactly(result, QuoteCheckNames.TcbInfoSigningChain, QuoteCheckNames.TcbInfoSignature, QuoteCheckNames.PolicyTcbStatus);
    }

    [Fact]
    public void Unreadable_collateral_is_reported_not_thrown()
    {
        var collateral = new QuoteCollateral
        {
            TcbInfoJson = "{\"tcbInfo\":",
            TcbInfoIssuerChainPem = "not a pem",
            QeIdentityJson = "[]",
            QeIdentityIssuerChainPem = SgxTestData.CollateralA().QeIdentityIssuerChainPem,
            PckCrl = [1, 2, 3],
        };

        var result = VerifyA(collateral);

        Assert.Contains("not valid JSON", QuoteAssert.Failed(result, QuoteCheckNames.TcbInfoSignature).Detail);
        Assert.Contains("cannot be read", QuoteAssert.Failed(result, QuoteCheckNames.TcbInfoSigningChain).Detail);
        Assert.Contains("not a JSON object", QuoteAssert.Failed(result, QuoteCheckNames.QeIdentitySignature).Detail);
        Assert.Contains("not a DER CRL", QuoteAssert.Failed(result, QuoteCheckNames.PckCrl).Detail);
    }

    [Fact]
    public void The_dcap_qvl_shape_rebuilds_the_documents_around_the_unchanged_body_text()
    {
        var fromDcapQvl = QuoteCollateral.FromDcapQvlJson(SgxTestData.Text("a_dcap_qvl/collateral.dcap-qvl.json"));

        // The testdata's PCS-shaped files were built the same way, so the two must agree byte for byte.
        Assert.Equal(SgxTestData.Text("a_dcap_qvl/tcb_info.json"), fromDcapQvl.TcbInfoJson);
        Assert.Equal(SgxTestData.Text("a_dcap_qvl/qe_identity.json"), fromDcapQvl.QeIdentityJson);
        Assert.Equal(SgxTestData.Bytes("a_dcap_qvl/pck_crl_processor.der"), fromDcapQvl.PckCrl);
        Assert.Equal(SgxTestData.Bytes("a_dcap_qvl/root_ca_crl.der"), fromDcapQvl.RootCaCrl);
    }

    [Fact]
    public void Malformed_dcap_qvl_json_is_a_collateral_format_error()
    {
        Assert.Throws<CollateralFormatException>(() => QuoteCollateral.FromDcapQvlJson("{\"tcb_info\":1}"));
        Assert.Throws<CollateralFormatException>(() => QuoteCollateral.FromDcapQvlJson("nope"));
    }
}
