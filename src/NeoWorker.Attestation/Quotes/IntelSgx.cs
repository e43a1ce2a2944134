using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace NeoWorker.Attestation.Quotes;

/// <summary>The two facts that make a quote "Intel hardware": Intel's QE vendor id and the Intel SGX Root CA.</summary>
public static class IntelSgx
{
    /// <summary>Intel's quoting enclave vendor id (<c>939a7233-f79c-4ca9-940a-0db3957f0607</c>) as it sits in the quote header.</summary>
    public const string QeVendorIdHex = "939a7233f79c4ca9940a0db3957f0607";

    /// <summary>SHA-256 of the Intel SGX Root CA certificate's DER (valid 2018-05-21 to 2049-12-31).</summary>
    public const string RootCaSha256Hex = "44a0196b2b99f889b8e149e95b807a350e7424964399e885a7cbb8ccfab674d3";

    /// <summary>
    /// The Intel SGX Root CA (<c>CN=Intel SGX Root CA, O=Intel Corporation, L=Santa Clara, ST=CA, C=US</c>), as published at
    /// https://certificates.trustedservices.intel.com/Intel_SGX_Provisioning_Certification_RootCA.cer.
    /// </summary>
    public const string RootCaPem = """
        -----BEGIN CERTIFICATE-----
        MIICjzCCAjSgAwIBAgIUImUM1lqdNInzg7SVUr9QGzknBqwwCgYIKoZIzj0EAwIw
        aDEaMBgGA1UEAwwRSW50ZWwgU0dYIFJvb3QgQ0ExGjAYBgNVBAoMEUludGVsIENv
        cnBvcmF0aW9uMRQwEgYDVQQHDAtTYW50YSBDbGFyYTELMAkGA1UECAwCQ0ExCzAJ
        BgNVBAYTAlVTMB4XDTE4MDUyMTEwNDUxMFoXDTQ5MTIzMTIzNTk1OVowaDEaMBgG
        A1UEAwwRSW50ZWwgU0dYIFJvb3QgQ0ExGjAYBgNVBAoMEUludGVsIENvcnBvcmF0
        aW9uMRQwEgYDVQQHDAtTYW50YSBDbGFyYTELMAkGA1UECAwCQ0ExCzAJBgNVBAYT
        AlVTMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEC6nEwMDIYZOj/iPWsCzaEKi7
        1OiOSLRFhWGjbnBVJfVnkY4u3IjkDYYL0MxO4mqsyYjlBalTVYxFP2sJBK5zlKOB
        uzCBuDAfBgNVHSMEGDAWgBQiZQzWWp00ifODtJVSv1AbOScGrDBSBgNVHR8ESzBJ
        MEegRaBDhkFodHRwczovL2NlcnRpZmljYXRlcy50cnVzdGVkc2VydmljZXMuaW50
        ZWwuY29tL0ludGVsU0dYUm9vdENBLmRlcjAdBgNVHQ4EFgQUImUM1lqdNInzg7SV
        Ur9QGzknBqwwDgYDVR0PAQH/BAQDAgEGMBIGA1UdEwEB/wQIMAYBAf8CAQEwCgYI
        KoZIzj0EAwIDSQAwRgIhAOW/5QkR+S9CiSDcNoowLuPRLsWGf/Yi7GSX94BgwTwg
        AiEA4J0lrHoMs+Xo5o/sX6O9QWxHRAvZUGOdRQ7cvqRXaqI=
        -----END CERTIFICATE-----
        """;

    public static ReadOnlySpan<byte> QeVendorId =>
        [0x93, 0x9a, 0x72, 0x33, 0xf7, 0x9c, 0x4c, 0xa9, 0x94, 0x0a, 0x0d, 0xb3, 0x95, 0x7f, 0x06, 0x07];

    /// <summary>A new instance of the Intel SGX Root CA certificate; dispose it.</summary>
    public static X509Certificate2 LoadRootCa() => X509Certificate2.CreateFromPem(RootCaPem);

    /// <summary>Byte-for-byte the Intel SGX Root CA? (A look-alike with the same subject is not.)</summary>
    public static bool IsRootCa(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return Convert.ToHexStringLower(SHA256.HashData(certificate.RawDataMemory.Span)) == RootCaSha256Hex;
    }
}
