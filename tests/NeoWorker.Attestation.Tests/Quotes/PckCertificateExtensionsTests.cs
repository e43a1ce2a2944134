using System.Security.Cryptography.X509Certificates;
using NeoWorker.Attestation.Quotes;

namespace NeoWorker.Attestation.Tests.Quotes;

/// <summary>The SGX extension of both PCK leaves, against expected.json's <c>pck_certificate_sgx_extension</c>.</summary>
public sealed class PckCertificateExtensionsTests
{
    [Theory]
    [InlineData("a_dcap_qvl")]
    [InlineData("b_automata")]
    public void The_sgx_extension_decodes_as_expected(string set)
    {
        var expected = SgxTestData.Json($"{set}/expected.json").GetProperty("pck_certificate_sgx_extension");
        var quote = SgxQuote.Parse(SgxTestData.Bytes($"{set}/quote.bin"));
        using var leaf = X509CertificateLoader.LoadCertificate(quote.SignatureData.PckCertificateChain[0].Span);

        var pck = PckCertificateExtensions.Read(leaf);

        Assert.Equal(expected.GetProperty("fmspc").GetString(), pck.FmspcHex);
        Assert.Equal(expected.GetProperty("pceid").GetString(), pck.PceIdHex);
        Assert.Equal(expected.GetProperty("tcb_components").EnumerateArray().Select(e => e.GetInt32()), pck.TcbComponentSvns);
        Assert.Equal(expected.GetProperty("pcesvn").GetInt32(), pck.PceSvn);
        Assert.Equal(expected.GetProperty("cpusvn").GetString(), Convert.ToHexStringLower(pck.CpuSvn.Span));
        Assert.Equal(expected.GetProperty("sgx_type").GetInt32(), pck.SgxType);
    }

    [Fact]
    public void The_platform_ca_leaf_also_carries_a_platform_instance_id()
    {
        var quote = SgxQuote.Parse(SgxTestData.QuoteB);
        using var leaf = X509CertificateLoader.LoadCertificate(quote.SignatureData.PckCertificateChain[0].Span);

        var pck = PckCertificateExtensions.Read(leaf);

        Assert.Equal("7f96822f9d6421e505d4f256f65c5338", Convert.ToHexStringLower(pck.PlatformInstanceId!.Value.Span));
        Assert.Equal("186950b6d8d014d89f0c144d1d90ebad", Convert.ToHexStringLower(pck.Ppid.Span));
    }

    [Fact]
    public void A_certificate_without_the_extension_is_a_format_error()
    {
        using var root = SgxTestData.IntelRoot();

        var error = Assert.Throws<QuoteFormatException>(() => PckCertificateExtensions.Read(root));

        Assert.Contains("no SGX extension", error.Message);
    }
}
