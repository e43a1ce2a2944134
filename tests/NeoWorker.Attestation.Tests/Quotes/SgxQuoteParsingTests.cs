using System.Text.Json;
using NeoWorker.Attestation.Quotes;

namespace NeoWorker.Attestation.Tests.Quotes;

/// <summary>Every field the testdata's expected.json decodes, for both genuine quotes.</summary>
public sealed class SgxQuoteParsingTests
{
    public static TheoryData<string> Sets => new() { "a_dcap_qvl", "b_automata" };

    private static string Hex(ReadOnlyMemory<byte> bytes) => Convert.ToHexStringLower(bytes.Span);

    [Theory]
    [MemberData(nameof(Sets))]
    public void The_header_decodes_as_expected(string set)
    {
        var expected = SgxTestData.Json($"{set}/expected.json");
        var quote = SgxQuote.Parse(SgxTestData.Bytes($"{set}/quote.bin"));
        var header = expected.GetProperty("header");

        Assert.Equal(expected.GetProperty("quote_len").GetInt32(), quote.Raw.Length);
        Assert.Equal(header.GetProperty("version").GetInt32(), quote.Header.Version);
        Assert.Equal(header.GetProperty("att_key_type").GetInt32(), quote.Header.AttestationKeyType);
        Assert.Equal(header.GetProperty("att_key_data_0_or_tee_type").GetUInt32(), quote.Header.AttestationKeyData0);
        Assert.Equal(header.GetProperty("qe_svn").GetInt32(), quote.Header.QeSvn);
        Assert.Equal(header.GetProperty("pce_svn").GetInt32(), quote.Header.PceSvn);
        Assert.Equal(header.GetProperty("qe_vendor_id").GetString(), Hex(quote.Header.QeVendorId));
        Assert.Equal(IntelSgx.QeVendorIdHex, Hex(quote.Header.QeVendorId));
        Assert.Equal(header.GetProperty("user_data").GetString(), Hex(quote.Header.UserData));
        Assert.False(quote.ClaimsSimulated);
    }

    [Theory]
    [MemberData(nameof(Sets))]
    public void The_isv_report_body_decodes_as_expected(string set)
    {
        var expected = SgxTestData.Json($"{set}/expected.json");
        var quote = SgxQuote.Parse(SgxTestData.Bytes($"{set}/quote.bin"));
        AssertReportBody(expected.GetProperty("report_body"), quote.ReportBody);
    }

    [Theory]
    [MemberData(nameof(Sets))]
    public void The_qe_report_decodes_as_expected(string set)
    {
        var expected = SgxTestData.Json($"{set}/expected.json");
        var quote = SgxQuote.Parse(SgxTestData.Bytes($"{set}/quote.bin"));
        AssertReportBody(expected.GetProperty("qe_report"), quote.SignatureData.QeReport);
    }

    [Theory]
    [MemberData(nameof(Sets))]
    public void The_signature_data_decodes_as_expected(string set)
    {
        var expected = SgxTestData.Json($"{set}/expected.json");
        var raw = SgxTestData.Bytes($"{set}/quote.bin");
        var quote = SgxQuote.Parse(raw);
        var signature = expected.GetProperty("signature_data");
        var data = quote.SignatureData;

        Assert.Equal(SgxQuote.SignatureDataOffset, signature.GetProperty("offset_of_signature_data").GetInt32());
        Assert.Equal(signature.GetProperty("signature_data_len").GetInt32(), raw.Length - SgxQuote.SignatureDataOffset);
        Assert.Equal(signature.GetProperty("isv_enclave_report_signature_r_s").GetString(), Hex(data.IsvReportSignature));
        Assert.Equal(signature.GetProperty("ecdsa_attestation_key_x_y").GetString(), Hex(data.AttestationKey));
        Assert.Equal(signature.GetProperty("qe_report_signature_r_s").GetString(), Hex(data.QeReportSignature));
        Assert.Equal(signature.GetProperty("qe_auth_data_len").GetInt32(), data.QeAuthData.Length);
        Assert.Equal(signature.GetProperty("qe_auth_data").GetString(), Hex(data.QeAuthData));
        Assert.Equal(signature.GetProperty("certification_data_type").GetInt32(), data.CertificationDataType);
        Assert.Equal(signature.GetProperty("certification_data_len").GetInt32(), data.CertificationData.Length);
        Assert.Equal(signature.GetProperty("certification_data_ends_with_nul").GetBoolean(), data.CertificationData.Span[^1] == 0);
        Assert.Equal(signature.GetProperty("certification_data_pem_cert_count").GetInt32(), data.PckCertificateChain.Count);
    }

    [Theory]
    [MemberData(nameof(Sets))]
    public void The_pck_chain_is_the_certification_data_without_its_trailing_nul(string set)
    {
        var quote = SgxQuote.Parse(SgxTestData.Bytes($"{set}/quote.bin"));

        Assert.Equal(SgxTestData.Text($"{set}/pck_cert_chain.pem"), quote.SignatureData.PckCertificateChainPem);
    }

    [Theory]
    [MemberData(nameof(Sets))]
    public void The_hex_file_holds_the_same_quote(string set)
    {
        Assert.Equal(SgxTestData.Bytes($"{set}/quote.bin"), Convert.FromHexString(SgxTestData.Text($"{set}/quote.hex")));
    }

    [Fact]
    public void Quote_a_carries_hello_world_as_report_data()
    {
        var quote = SgxQuote.Parse(SgxTestData.QuoteA);

        Assert.Equal("Hello, world!"u8.ToArray(), quote.ReportBody.ReportData.Span.TrimEnd((byte)0).ToArray());
        Assert.False(quote.ReportBody.IsDebug);
    }

    private static void AssertReportBody(JsonElement expected, SgxReportBody body)
    {
        Assert.Equal(expected.GetProperty("cpusvn").GetString(), Hex(body.CpuSvn));
        Assert.Equal(expected.GetProperty("miscselect").GetUInt32(), body.MiscSelect);
        Assert.Equal(expected.GetProperty("reserved1").GetString(), Hex(body.Raw[20..32]));
        Assert.Equal(expected.GetProperty("isv_ext_prod_id").GetString(), Hex(body.IsvExtProdId));
        Assert.Equal(expected.GetProperty("attributes").GetString(), Hex(body.Attributes));
        Assert.Equal(expected.GetProperty("attributes_flags_u64").GetString(), $"0x{body.AttributeFlags:x16}");
        Assert.Equal(expected.GetProperty("attributes_xfrm_u64").GetString(), $"0x{body.Xfrm:x16}");
        Assert.Equal(expected.GetProperty("attr_INIT").GetBoolean(), (body.AttributeFlags & SgxReportBody.InitFlag) != 0);
        Assert.Equal(expected.GetProperty("attr_DEBUG").GetBoolean(), body.IsDebug);
        Assert.Equal(expected.GetProperty("attr_MODE64BIT").GetBoolean(), (body.AttributeFlags & SgxReportBody.Mode64BitFlag) != 0);
        Assert.Equal(expected.GetProperty("attr_PROVISIONKEY").GetBoolean(), (body.AttributeFlags & SgxReportBody.ProvisionKeyFlag) != 0);
        Assert.Equal(expected.GetProperty("mrenclave").GetString(), body.MrEnclaveHex);
        Assert.Equal(expected.GetProperty("reserved2").GetString(), Hex(body.Raw[96..128]));
        Assert.Equal(expected.GetProperty("mrsigner").GetString(), body.MrSignerHex);
        Assert.Equal(expected.GetProperty("reserved3").GetString(), Hex(body.Raw[160..192]));
        Assert.Equal(expected.GetProperty("config_id").GetString(), Hex(body.ConfigId));
        Assert.Equal(expected.GetProperty("isvprodid").GetInt32(), body.IsvProdId);
        Assert.Equal(expected.GetProperty("isvsvn").GetInt32(), body.IsvSvn);
        Assert.Equal(expected.GetProperty("config_svn").GetInt32(), body.ConfigSvn);
        Assert.Equal(expected.GetProperty("reserved4").GetString(), Hex(body.Raw[262..304]));
        Assert.Equal(expected.GetProperty("isv_family_id").GetString(), Hex(body.IsvFamilyId));
        Assert.Equal(expected.GetProperty("reportdata").GetString(), Hex(body.ReportData));
    }
}
