using System.Text.Json;

namespace NeoWorker.Attestation.Quotes;

/// <summary>
/// Intel-signed verification collateral, supplied offline, in the shapes Intel PCS/PCCS serve them. Every part is
/// optional: without TCB Info and QE Identity the TCB is not evaluated; without a CRL that revocation check is skipped.
/// The PCK CRL's issuer is taken from the quote's own PCK chain, so its issuer chain is not needed.
/// </summary>
public sealed class QuoteCollateral
{
    /// <summary><c>{"tcbInfo":{…},"signature":"&lt;hex&gt;"}</c> exactly as served (v2 or v3); the signature covers the raw body text.</summary>
    public string? TcbInfoJson { get; init; }

    /// <summary>PEM: the Intel SGX TCB Signing certificate, then the root (PCS header <c>TCB-Info-Issuer-Chain</c>).</summary>
    public string? TcbInfoIssuerChainPem { get; init; }

    /// <summary><c>{"enclaveIdentity":{…},"signature":"&lt;hex&gt;"}</c> exactly as served.</summary>
    public string? QeIdentityJson { get; init; }

    /// <summary>PEM: the TCB Signing certificate, then the root (PCS header <c>SGX-Enclave-Identity-Issuer-Chain</c>).</summary>
    public string? QeIdentityIssuerChainPem { get; init; }

    /// <summary>The CRL of the PCK leaf's issuer (Processor or Platform CA), DER or PEM.</summary>
    public byte[]? PckCrl { get; init; }

    /// <summary>The Intel SGX Root CA CRL (revokes intermediates and the TCB Signing certificate), DER or PEM.</summary>
    public byte[]? RootCaCrl { get; init; }

    internal bool HasTcbCollateral => TcbInfoJson is not null || QeIdentityJson is not null;

    /// <summary>
    /// Reads Phala dcap-qvl's <c>QuoteCollateralV3</c> JSON (bodies as JSON strings, signatures and CRLs as hex), rebuilding
    /// the PCS documents around the unchanged body text so the signatures still cover the same bytes.
    /// </summary>
    public static QuoteCollateral FromDcapQvlJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        const string what = "dcap-qvl collateral";
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            string Text(string name) => CollateralJson.String(root, name, what);
            byte[] Hex(string name)
            {
                try
                {
                    return Convert.FromHexString(Text(name));
                }
                catch (FormatException)
                {
                    throw new CollateralFormatException($"{what}: '{name}' is not hex.");
                }
            }
            string Signed(string body, string signatureName, string bodyName) =>
                $"{{\"{body}\":{Text(bodyName)},\"signature\":{JsonSerializer.Serialize(Text(signatureName))}}}";

            return new QuoteCollateral
            {
                TcbInfoJson = Signed("tcbInfo", "tcb_info_signature", "tcb_info"),
                TcbInfoIssuerChainPem = Text("tcb_info_issuer_chain"),
                QeIdentityJson = Signed("enclaveIdentity", "qe_identity_signature", "qe_identity"),
                QeIdentityIssuerChainPem = Text("qe_identity_issuer_chain"),
                PckCrl = Hex("pck_crl"),
                RootCaCrl = Hex("root_ca_crl"),
            };
        }
        catch (JsonException e)
        {
            throw new CollateralFormatException($"{what} is not valid JSON: {e.Message}");
        }
    }
}
