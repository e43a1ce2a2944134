using System.Text;
using NeoWorker.Attestation.Quotes;

namespace NeoWorker.Attestation.Tests.Quotes;

/// <summary>One flipped bit anywhere that matters makes quote A invalid, and the failing check is the one that covers it.</summary>
public sealed class TamperedQuoteTests
{
    private const int SignatureData = SgxQuote.SignatureDataOffset;

    private static QuoteVerificationResult Verify(byte[] quote) =>
        SgxTestData.VerifyAt(SgxTestData.TimeA, quote, SgxTestData.CollateralA());

    public static TheoryData<string, int, string[]> Flips => new()
    {
        { "header user data", 28, [QuoteCheckNames.IsvReportSignature] },
        { "header QE SVN", 8, [QuoteCheckNames.IsvReportSignature] },
        { "report body MRENCLAVE", SgxQuoteHeader.Size + 64, [QuoteCheckNames.IsvReportSignature] },
        { "report body MRSIGNER", SgxQuoteHeader.Size + 128 + 31, [QuoteCheckNames.IsvReportSignature] },
        { "report body REPORTDATA", SgxQuoteHeader.Size + 320, [QuoteCheckNames.IsvReportSignature] },
        { "report body ISVSVN", SgxQuoteHeader.Size + 258, [QuoteCheckNames.IsvReportSignature] },
        { "ISV report signature", SignatureData + 10, [QuoteCheckNames.IsvReportSignature] },
        { "attestation key", SignatureData + 64 + 5, [QuoteCheckNames.QeReportBinding, QuoteCheckNames.IsvReportSignature] },
        { "QE report MRENCLAVE", SignatureData + 128 + 64, [QuoteCheckNames.QeReportSignature] },
        { "QE report REPORTDATA", SignatureData + 128 + 320, [QuoteCheckNames.QeReportSignature, QuoteCheckNames.QeReportBinding] },
        { "QE report signature", SignatureData + 512 + 40, [QuoteCheckNames.QeReportSignature] },
        { "QE auth data", SignatureData + 578, [QuoteCheckNames.QeReportBinding] },
    };

    [Theory]
    [MemberData(nameof(Flips))]
    public void A_flipped_bit_fails_exactly_the_check_that_covers_it(string where, int offset, string[] failing)
    {
        var result = Verify(SgxTestData.Flipped(SgxTestData.QuoteA, offset));

        Assert.False(result.IsValid, where);
        QuoteAssert.FailedExactly(result, failing);
    }

    [Fact]
    public void Setting_the_debug_flag_breaks_the_signature_and_is_refused_by_policy()
    {
        var result = Verify(SgxTestData.Flipped(SgxTestData.QuoteA, SgxQuoteHeader.Size + 48, (byte)SgxReportBody.DebugFlag));

        QuoteAssert.FailedExactly(result, QuoteCheckNames.IsvReportSignature, QuoteCheckNames.PolicyDebug);
        Assert.True(result.IsDebug);
    }

    [Fact]
    public void A_changed_qe_vendor_id_is_unknown_and_breaks_the_signature()
    {
        var result = Verify(SgxTestData.Flipped(SgxTestData.QuoteA, 12));

        QuoteAssert.FailedExactly(result, QuoteCheckNames.QeVendor, QuoteCheckNames.IsvReportSignature);
        Assert.Contains("Unknown QE vendor id", result.FailureReason);
    }

    [Fact]
    public void A_tampered_pck_leaf_certificate_fails_the_chain()
    {
        var quote = TamperBase64(SgxTestData.QuoteA, certificateIndex: 0);

        var result = Verify(quote);

        var chain = QuoteAssert.Failed(result, QuoteCheckNames.PckChain);
        QuoteAssert.FailedExactly(result, QuoteCheckNames.PckChain);
        Assert.Contains("Intel SGX PCK Certificate", chain.Detail);
    }

    [Fact]
    public void A_tampered_pck_intermediate_certificate_fails_the_chain()
    {
        var quote = TamperBase64(SgxTestData.QuoteA, certificateIndex: 1);

        var result = Verify(quote);

        QuoteAssert.Failed(result, QuoteCheckNames.PckChain);
        Assert.DoesNotContain(result.Failures, c => c.Name is QuoteCheckNames.QeReportSignature or QuoteCheckNames.IsvReportSignature);
    }

    [Fact]
    public void A_quote_verified_against_a_root_that_is_not_intels_fails_vendor_and_chain()
    {
        var simulationRoot = SimulationRoot.Create("wrong-root", DateTimeOffset.UnixEpoch, DateTimeOffset.Parse("2040-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        using var root = simulationRoot.LoadCertificate();
        var policy = new QuotePolicy { AllowSimulated = true, AcceptedTcbStatuses = new HashSet<TcbStatus> { TcbStatus.NotEvaluated } };

        var result = new QuoteVerifier(new FixedClock(SgxTestData.TimeA)).Verify(SgxTestData.QuoteA, root, collateral: null, policy);

        QuoteAssert.FailedExactly(result, QuoteCheckNames.QeVendor, QuoteCheckNames.PckChain);
        Assert.Contains("is not the Intel SGX Root CA", result.Check(QuoteCheckNames.QeVendor)!.Detail);
        Assert.Contains("not the trust root", result.Check(QuoteCheckNames.PckChain)!.Detail);
    }

    [Fact]
    public void With_a_wrong_root_the_collateral_signing_chains_fail_too()
    {
        var simulationRoot = SimulationRoot.Create("wrong-root", DateTimeOffset.UnixEpoch, DateTimeOffset.Parse("2040-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        using var root = simulationRoot.LoadCertificate();

        var result = new QuoteVerifier(new FixedClock(SgxTestData.TimeA)).Verify(SgxTestData.QuoteA, root, SgxTestData.CollateralA());

        QuoteAssert.Failed(result, QuoteCheckNames.TcbInfoSigningChain);
        QuoteAssert.Failed(result, QuoteCheckNames.QeIdentitySigningChain);
        QuoteAssert.Failed(result, QuoteCheckNames.RootCaCrl);
        Assert.Equal(TcbStatus.NotEvaluated, result.TcbStatus);
    }

    /// <summary>Changes one base64 character near the end of a certificate in the quote's PEM chain (inside its signature).</summary>
    private static byte[] TamperBase64(byte[] quote, int certificateIndex)
    {
        var copy = (byte[])quote.Clone();
        var text = Encoding.ASCII.GetString(copy);
        var end = -1;
        for (var i = 0; i <= certificateIndex; i++)
            end = text.IndexOf("-----END CERTIFICATE-----", end + 1, StringComparison.Ordinal);
        var position = end - 30;
        copy[position] = (byte)(copy[position] == 'A' ? 'B' : 'A');
        return copy;
    }
}
