using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using NeoWorker.Attestation.Quotes;

namespace NeoWorker.Attestation.Tests.Quotes;

/// <summary>
/// The genuine SGX quotes and Intel collateral in <c>TestData/sgx</c> (a copy of the workspace's
/// <c>shared/testdata/sgx</c>; its README says where each file came from and what is asserted about it).
/// </summary>
internal static class SgxTestData
{
    private static readonly Lazy<string> Folder = new(() =>
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "NeoWorker.Attestation.Tests", "Quotes", "TestData", "sgx");
            if (Directory.Exists(candidate)) return candidate;
            candidate = Path.Combine(directory.FullName, "Quotes", "TestData", "sgx");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException("tests/NeoWorker.Attestation.Tests/Quotes/TestData/sgx not found above " + AppContext.BaseDirectory);
    });

    /// <summary>Set A's pinned time: dcap-qvl's tests use the end of the window minus one second.</summary>
    public static readonly DateTimeOffset TimeA = DateTimeOffset.FromUnixTimeSeconds(1752919277);

    public static readonly DateTimeOffset WindowStartA = DateTimeOffset.FromUnixTimeSeconds(1750330571);

    public static readonly DateTimeOffset WindowEndA = DateTimeOffset.FromUnixTimeSeconds(1752919278);

    /// <summary>automata-dcap-v3-attestation's <c>vm.warp(1719496800)</c> for the 2024-06 collateral.</summary>
    public static readonly DateTimeOffset TimeB2024 = DateTimeOffset.FromUnixTimeSeconds(1719496800);

    /// <summary>automata-dcap-attestation's <c>vm.warp(1755236700)</c> for the 2025-08 collateral.</summary>
    public static readonly DateTimeOffset TimeB2025 = DateTimeOffset.FromUnixTimeSeconds(1755236700);

    public static string PathOf(string relative) => Path.Combine(Folder.Value, relative);

    public static byte[] Bytes(string relative) => File.ReadAllBytes(PathOf(relative));

    public static string Text(string relative) => File.ReadAllText(PathOf(relative));

    public static JsonElement Json(string relative) => JsonDocument.Parse(Text(relative)).RootElement;

    public static byte[] QuoteA => Bytes("a_dcap_qvl/quote.bin");

    public static byte[] QuoteB => Bytes("b_automata/quote.bin");

    public static X509Certificate2 IntelRoot() => X509CertificateLoader.LoadCertificate(Bytes("intel_sgx_root_ca.der"));

    public static QuoteCollateral CollateralA() => new()
    {
        TcbInfoJson = Text("a_dcap_qvl/tcb_info.json"),
        TcbInfoIssuerChainPem = Text("a_dcap_qvl/tcb_info_issuer_chain.pem"),
        QeIdentityJson = Text("a_dcap_qvl/qe_identity.json"),
        QeIdentityIssuerChainPem = Text("a_dcap_qvl/qe_identity_issuer_chain.pem"),
        PckCrl = Bytes("a_dcap_qvl/pck_crl_processor.der"),
        RootCaCrl = Bytes("a_dcap_qvl/root_ca_crl.der"),
    };

    public static QuoteCollateral CollateralB2024() => CollateralB("collateral_2024-06", "tcb_info_v2.json");

    public static QuoteCollateral CollateralB2025() => CollateralB("collateral_2025-08", "tcb_info_v3.json");

    private static QuoteCollateral CollateralB(string folder, string tcbInfo) => new()
    {
        TcbInfoJson = Text($"b_automata/{folder}/{tcbInfo}"),
        TcbInfoIssuerChainPem = Text($"b_automata/{folder}/tcb_signing_issuer_chain.pem"),
        QeIdentityJson = Text($"b_automata/{folder}/qe_identity.json"),
        QeIdentityIssuerChainPem = Text($"b_automata/{folder}/tcb_signing_issuer_chain.pem"),
        PckCrl = Bytes($"b_automata/{folder}/pck_crl_platform.der"),
        RootCaCrl = Bytes($"b_automata/{folder}/root_ca_crl.der"),
    };

    /// <summary>Verifies with the Intel root at <paramref name="at"/>.</summary>
    public static QuoteVerificationResult VerifyAt(DateTimeOffset at, byte[] quote, QuoteCollateral? collateral, QuotePolicy? policy = null)
    {
        using var root = IntelRoot();
        return new QuoteVerifier(new FixedClock(at)).Verify(quote, root, collateral, policy);
    }

    public static byte[] Flipped(byte[] bytes, Index offset, byte mask = 0x01)
    {
        var copy = (byte[])bytes.Clone();
        copy[offset] ^= mask;
        return copy;
    }
}
