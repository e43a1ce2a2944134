using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using NeoWorker.Attestation.Quotes;

namespace NeoWorker.Attestation.Tests.Quotes;

/// <summary>Supplied CRLs are checked by the verifier: right issuer, issuer's signature, current, serial absent.</summary>
public sealed class RevocationTests
{
    [Fact]
    public void A_crl_from_the_wrong_ca_is_refused_naming_both()
    {
        var wrong = new QuoteCollateral { PckCrl = SgxTestData.Bytes("a_dcap_qvl/pck_crl_processor.der") };

        var result = SgxTestData.VerifyAt(SgxTestData.TimeB2024, SgxTestData.QuoteB, wrong, AnyTcb);

        var check = QuoteAssert.Failed(result, QuoteCheckNames.PckCrl);
        QuoteAssert.FailedExactly(result, QuoteCheckNames.PckCrl);
        Assert.Contains("issued by 'Intel SGX PCK Processor CA', not by 'Intel SGX PCK Platform CA'", check.Detail);
        Assert.Contains("Intel SGX PCK Platform CA", check.Detail);
    }

    [Fact]
    public void A_crl_with_a_broken_signature_is_refused()
    {
        var crl = SgxTestData.Flipped(SgxTestData.Bytes("a_dcap_qvl/pck_crl_processor.der"), offset: ^3);

        var result = SgxTestData.VerifyAt(SgxTestData.TimeA, SgxTestData.QuoteA, new QuoteCollateral { PckCrl = crl }, AnyTcb);

        QuoteAssert.FailedExactly(result, QuoteCheckNames.PckCrl);
        Assert.Contains("signature does not verify", result.FailureReason);
    }

    [Fact]
    public void A_root_ca_crl_with_a_broken_signature_is_refused()
    {
        var crl = SgxTestData.Flipped(SgxTestData.Bytes("a_dcap_qvl/root_ca_crl.der"), offset: ^3);

        var result = SgxTestData.VerifyAt(SgxTestData.TimeA, SgxTestData.QuoteA, new QuoteCollateral { RootCaCrl = crl }, AnyTcb);

        QuoteAssert.FailedExactly(result, QuoteCheckNames.RootCaCrl);
    }

    [Fact]
    public void A_pem_crl_is_read_like_der()
    {
        var pem = Encoding.ASCII.GetBytes(PemEncoding.WriteString("X509 CRL", SgxTestData.Bytes("a_dcap_qvl/pck_crl_processor.der")));

        var result = SgxTestData.VerifyAt(SgxTestData.TimeA, SgxTestData.QuoteA, new QuoteCollateral { PckCrl = pem }, AnyTcb);

        QuoteAssert.Valid(result);
        Assert.True(result.Check(QuoteCheckNames.PckCrl)!.Passed);
    }

    [Fact]
    public void A_revoked_pck_certificate_is_refused()
    {
        var deployment = SimulatedDeployment.Create();
        using var root = X509Certificate2.CreateFromPem(deployment.Root.CertificatePem, deployment.Root.PrivateKeyPem);
        using var leaf = X509Certificate2.CreateFromPem(deployment.Pck.CertificateChainPem);
        var revocations = new CertificateRevocationListBuilder();
        revocations.AddEntry(leaf, SimulatedDeployment.Now.AddHours(-1));
        var crl = revocations.Build(root, crlNumber: 1, SimulatedDeployment.Now.AddDays(7), HashAlgorithmName.SHA256, thisUpdate: SimulatedDeployment.Now.AddHours(-1));

        var result = deployment.Verify(deployment.BuildQuote(), new QuoteCollateral { PckCrl = crl }, SimulatedDeployment.AllowSimulated);

        var check = QuoteAssert.Failed(result, QuoteCheckNames.PckCrl);
        QuoteAssert.FailedExactly(result, QuoteCheckNames.PckCrl);
        Assert.Contains("is revoked", check.Detail);
        Assert.Contains(leaf.SerialNumber.TrimStart('0'), check.Detail);
    }

    [Fact]
    public void An_empty_crl_from_the_simulation_root_passes()
    {
        var deployment = SimulatedDeployment.Create();
        using var root = X509Certificate2.CreateFromPem(deployment.Root.CertificatePem, deployment.Root.PrivateKeyPem);
        var crl = new CertificateRevocationListBuilder().Build(root, 1, SimulatedDeployment.Now.AddDays(7), HashAlgorithmName.SHA256, thisUpdate: SimulatedDeployment.Now.AddHours(-1));

        var result = deployment.Verify(deployment.BuildQuote(), new QuoteCollateral { PckCrl = crl, RootCaCrl = crl }, SimulatedDeployment.AllowSimulated);

        QuoteAssert.Valid(result);
        Assert.True(result.Check(QuoteCheckNames.PckCrl)!.Passed);
        Assert.True(result.Check(QuoteCheckNames.RootCaCrl)!.Passed);
    }

    private static QuotePolicy AnyTcb => new() { AcceptedTcbStatuses = new HashSet<TcbStatus> { TcbStatus.NotEvaluated } };
}
