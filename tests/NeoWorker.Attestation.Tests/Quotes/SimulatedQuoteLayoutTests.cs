using System.Buffers.Binary;
using System.Security.Cryptography;
using NeoWorker.Attestation.Quotes;

namespace NeoWorker.Attestation.Tests.Quotes;

/// <summary>
/// Pins the exact bytes <see cref="SimulatedQuoteBuilder"/> writes (documented in src/…/Quotes/README.md), since the
/// runner's JavaScript implementation must write the same.
/// </summary>
public sealed class SimulatedQuoteLayoutTests
{
    private readonly SimulatedDeployment deployment = SimulatedDeployment.Create();

    [Fact]
    public void The_header_is_version_3_ecdsa_p256_with_the_simulated_vendor_id_and_zeros()
    {
        var quote = deployment.BuildQuote();

        Assert.Equal("03000200" + "00000000" + "0000" + "0000" + SimulatedQuote.VendorIdHex + new string('0', 40),
            Convert.ToHexStringLower(quote.AsSpan(0, 48)));
        Assert.Equal("NEOWORKER-SIMQE1"u8.ToArray(), quote[12..28]);
        Assert.True(SgxQuote.Parse(quote).ClaimsSimulated);
    }

    [Theory]
    [InlineData(false, 0x05)]
    [InlineData(true, 0x07)]
    public void The_report_body_holds_the_inputs_and_zeros_elsewhere(bool debug, ulong flags)
    {
        var report = SimulatedDeployment.Report(debug);
        var body = deployment.BuildQuote(report).AsSpan(48, 384);

        var expected = new byte[384];
        BinaryPrimitives.WriteUInt64LittleEndian(expected.AsSpan(48), flags);
        BinaryPrimitives.WriteUInt64LittleEndian(expected.AsSpan(56), SimulatedQuoteBuilder.Xfrm);
        report.MrEnclave.Span.CopyTo(expected.AsSpan(64));
        report.MrSigner.Span.CopyTo(expected.AsSpan(128));
        BinaryPrimitives.WriteUInt16LittleEndian(expected.AsSpan(256), 7);
        BinaryPrimitives.WriteUInt16LittleEndian(expected.AsSpan(258), 3);
        report.ReportData.Span.CopyTo(expected.AsSpan(320));
        Assert.Equal(expected, body.ToArray());
    }

    [Fact]
    public void The_signature_data_has_the_intel_layout_and_exact_lengths()
    {
        var raw = deployment.BuildQuote();
        var quote = SgxQuote.Parse(raw);
        var certificationData = quote.SignatureData.CertificationData;

        Assert.Equal(436 + 64 + 64 + 384 + 64 + 2 + 32 + 2 + 4 + certificationData.Length, raw.Length);
        Assert.Equal((uint)(raw.Length - 436), BinaryPrimitives.ReadUInt32LittleEndian(raw.AsSpan(432)));
        Assert.Equal(SimulatedQuoteBuilder.QeAuthData.ToArray(), quote.SignatureData.QeAuthData.ToArray());
        Assert.Equal(Enumerable.Range(0, 32).Select(i => (byte)i), quote.SignatureData.QeAuthData.ToArray());
        Assert.Equal(5, quote.SignatureData.CertificationDataType);
        Assert.Equal(0, certificationData.Span[^1]);
        Assert.Equal(deployment.Pck.CertificateChainPem, quote.SignatureData.PckCertificateChainPem);
        Assert.Equal(2, quote.SignatureData.PckCertificateChain.Count);
    }

    [Fact]
    public void The_qe_report_is_zero_except_report_data_binding_the_attestation_key()
    {
        var quote = SgxQuote.Parse(deployment.BuildQuote());
        var signatureData = quote.SignatureData;

        var expected = new byte[384];
        SHA256.HashData([.. signatureData.AttestationKey.Span, .. signatureData.QeAuthData.Span], expected.AsSpan(320));
        Assert.Equal(expected, signatureData.QeReport.Raw.ToArray());
    }

    [Fact]
    public void The_signatures_are_raw_p256_r_s_by_the_attestation_and_pck_keys()
    {
        var quote = SgxQuote.Parse(deployment.BuildQuote());
        var keyBytes = quote.SignatureData.AttestationKey.Span;
        using var attestationKey = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = keyBytes[..32].ToArray(), Y = keyBytes[32..].ToArray() },
        });
        using var pckKey = ECDsa.Create();
        pckKey.ImportFromPem(deployment.Pck.PrivateKeyPem);

        Assert.True(attestationKey.VerifyData(quote.SignedBytes.Span, quote.SignatureData.IsvReportSignature.Span,
            HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        Assert.True(pckKey.VerifyData(quote.SignatureData.QeReport.Raw.Span, quote.SignatureData.QeReportSignature.Span,
            HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }

    [Fact]
    public void The_absolute_offsets_are_those_the_readme_documents()
    {
        var raw = deployment.BuildQuote();
        var certificationData = System.Text.Encoding.ASCII.GetBytes(deployment.Pck.CertificateChainPem + "\0");
        var expectedReportData = SHA256.HashData(raw.AsSpan(500, 64).ToArray().Concat(Enumerable.Range(0, 32).Select(i => (byte)i)).ToArray());

        Assert.Equal(616 + certificationData.Length, BinaryPrimitives.ReadInt32LittleEndian(raw.AsSpan(432)));
        Assert.Equal(expectedReportData, raw[884..916]);
        Assert.Equal(new byte[32], raw[916..948]);
        Assert.Equal("2000", Convert.ToHexStringLower(raw.AsSpan(1012, 2)));
        Assert.Equal("0500", Convert.ToHexStringLower(raw.AsSpan(1046, 2)));
        Assert.Equal(certificationData.Length, BinaryPrimitives.ReadInt32LittleEndian(raw.AsSpan(1048)));
        Assert.Equal(certificationData, raw[1052..]);
    }

    [Fact]
    public void Every_quote_has_a_fresh_attestation_key()
    {
        var first = SgxQuote.Parse(deployment.BuildQuote());
        var second = SgxQuote.Parse(deployment.BuildQuote());

        Assert.NotEqual(first.SignatureData.AttestationKey.ToArray(), second.SignatureData.AttestationKey.ToArray());
    }

    [Fact]
    public void The_builder_refuses_a_key_that_is_not_the_chains_leaf()
    {
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var error = Assert.Throws<ArgumentException>(() => new SimulatedQuoteBuilder(stranger, deployment.Pck.CertificateChainPem));

        Assert.Contains("not the simulated PCK key's certificate", error.Message);
    }

    [Fact]
    public void The_builder_refuses_report_data_that_is_not_64_bytes()
    {
        var report = new SimulatedEnclaveReport { ReportData = new byte[32], MrEnclave = new byte[32], MrSigner = new byte[32] };

        var error = Assert.Throws<ArgumentException>(() => deployment.BuildQuote(report));

        Assert.Contains("ReportData must be 64 bytes", error.Message);
    }
}
