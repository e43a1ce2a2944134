using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using NeoWorker.Attestation.Proofs;
using NeoWorker.Attestation.Quotes;
using NeoWorker.Contracts;

namespace NeoWorker.Attestation.Providers;

/// <summary>
/// Simulated attestation: quotes with the exact v3 layout written by <see cref="SimulatedQuoteBuilder"/> with a
/// simulated PCK key whose chain ends at the deployment's simulation root, and verification of proofs against that
/// root (policy default: <see cref="QuotePolicy.AllowSimulated"/>). Its quotes are marked simulated and never pass
/// for hardware (see Quotes/README.md, "Simulated quotes").
/// </summary>
public sealed class SimulatedAttestationProvider : IAttestationProvider
{
    /// <summary>The runner's simulated MRSIGNER: SHA-256 of UTF-8 <c>neoworker-simulation-signer</c>.</summary>
    public static readonly string DefaultMrSignerHex = Convert.ToHexStringLower(SHA256.HashData("neoworker-simulation-signer"u8));

    private readonly X509Certificate2 simulationRoot;
    private readonly ProofTrust trust;
    private readonly QuoteVerifier quotes;
    private readonly ExecutionProofVerifier verifier;
    private readonly string? pckPrivateKeyPem;
    private readonly string? pckCertificateChainPem;
    private readonly byte[]? mrEnclave;
    private readonly byte[] mrSigner;
    private readonly ushort isvProdId;
    private readonly ushort isvSvn;

    /// <exception cref="ArgumentException">An option is missing or unusable; the message names it.</exception>
    public SimulatedAttestationProvider(AttestationProviderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        simulationRoot = LoadRoot(options.SimulationRootPem);
        Policy = options.Policy ?? new QuotePolicy { AllowSimulated = true };
        quotes = new QuoteVerifier(options.Clock ?? TimeProvider.System);
        verifier = new ExecutionProofVerifier(quotes);
        // Intel's root is there only so that a hardware quote is judged as one (and refused here without collateral).
        trust = new ProofTrust(IntelSgx.LoadRootCa(), simulationRoot, null, Policy);

        mrSigner = Measurement(options.SimulatedMrSignerHex ?? DefaultMrSignerHex, nameof(options.SimulatedMrSignerHex));
        isvProdId = options.SimulatedIsvProdId;
        isvSvn = options.SimulatedIsvSvn;
        var hasKey = !string.IsNullOrWhiteSpace(options.SimulatedPckPrivateKeyPem);
        var hasChain = !string.IsNullOrWhiteSpace(options.SimulatedPckCertificateChainPem);
        if (hasKey != hasChain)
        {
            throw new ArgumentException(
                $"AttestationProviderOptions.{nameof(options.SimulatedPckPrivateKeyPem)} and .{nameof(options.SimulatedPckCertificateChainPem)} go together: give both to generate simulated quotes, or neither to only verify.",
                nameof(options));
        }
        if (hasKey)
        {
            CheckPck(options.SimulatedPckPrivateKeyPem!, options.SimulatedPckCertificateChainPem!, simulationRoot);
            pckPrivateKeyPem = options.SimulatedPckPrivateKeyPem;
            pckCertificateChainPem = options.SimulatedPckCertificateChainPem;
            mrEnclave = Measurement(options.SimulatedMrEnclaveHex
                ?? throw new ArgumentException($"AttestationProviderOptions.{nameof(options.SimulatedMrEnclaveHex)} is required to generate simulated quotes (the runner uses SHA-256 of its bundle).", nameof(options)),
                nameof(options.SimulatedMrEnclaveHex));
        }
    }

    public string Kind => AttestationProviderOptions.SimulationType;

    /// <summary>Whether this provider has a simulated PCK key and so can generate quotes.</summary>
    public bool CanGenerate => pckPrivateKeyPem is not null;

    public QuotePolicy Policy { get; }

    /// <summary>The simulation root's certificate as PEM (what tee-info serves).</summary>
    public string SimulationRootPem => simulationRoot.ExportCertificatePem();

    public Task<AttestationEvidence> GenerateAttestationProofAsync(byte[] reportData, CancellationToken ct = default)
    {
        AttestationArguments.RequireReportData(reportData);
        if (!CanGenerate)
        {
            throw new InvalidOperationException(
                $"This simulated attestation provider only verifies: set AttestationProviderOptions.{nameof(AttestationProviderOptions.SimulatedPckPrivateKeyPem)}, .{nameof(AttestationProviderOptions.SimulatedPckCertificateChainPem)} and .{nameof(AttestationProviderOptions.SimulatedMrEnclaveHex)} to generate quotes.");
        }
        ct.ThrowIfCancellationRequested();

        using var pckKey = ECDsa.Create();
        pckKey.ImportFromPem(pckPrivateKeyPem);
        var quote = new SimulatedQuoteBuilder(pckKey, pckCertificateChainPem!).Build(new SimulatedEnclaveReport
        {
            ReportData = reportData.ToArray(),
            MrEnclave = mrEnclave!,
            MrSigner = mrSigner,
            IsvProdId = isvProdId,
            IsvSvn = isvSvn,
        });
        return Task.FromResult(new AttestationEvidence(quote));
    }

    public Task<ProofVerificationResult> VerifyAttestationProofAsync(ExecutionProof proof, ProofExpectations? expected = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(proof);
        ct.ThrowIfCancellationRequested();
        return Task.FromResult(verifier.Verify(proof, trust, expected));
    }

    /// <summary>The evidence alone (no proof around it) against the simulation root and <see cref="Policy"/>.</summary>
    public QuoteVerificationResult VerifyEvidence(ReadOnlySpan<byte> quote) => quotes.Verify(quote, simulationRoot, null, Policy);

    private static X509Certificate2 LoadRoot(string? pem)
    {
        const string name = nameof(AttestationProviderOptions.SimulationRootPem);
        if (string.IsNullOrWhiteSpace(pem))
            throw new ArgumentException($"AttestationProviderOptions.{name} is required for Type={AttestationProviderOptions.SimulationType}: simulated quotes verify only against the deployment's simulation root.", nameof(pem));
        X509Certificate2 root;
        try
        {
            root = X509Certificate2.CreateFromPem(pem);
        }
        catch (CryptographicException e)
        {
            throw new ArgumentException($"AttestationProviderOptions.{name} is not a PEM certificate: {e.Message}", nameof(pem), e);
        }
        if (IntelSgx.IsRootCa(root))
        {
            root.Dispose();
            throw new ArgumentException($"AttestationProviderOptions.{name} is the Intel SGX Root CA; a simulation root must be the deployment's own (use Type={AttestationProviderOptions.SgxDcapType} for Intel).", nameof(pem));
        }
        return root;
    }

    private static void CheckPck(string keyPem, string chainPem, X509Certificate2 root)
    {
        using var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(keyPem);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            throw new ArgumentException($"AttestationProviderOptions.{nameof(AttestationProviderOptions.SimulatedPckPrivateKeyPem)} is not a PEM EC private key: {e.Message}", nameof(keyPem), e);
        }
        try
        {
            _ = new SimulatedQuoteBuilder(key, chainPem);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"AttestationProviderOptions.{nameof(AttestationProviderOptions.SimulatedPckCertificateChainPem)}: {e.Message}", nameof(chainPem), e);
        }
        var chain = CertificatePemChain.Read(chainPem, message => new ArgumentException(message, nameof(chainPem)));
        if (!chain[^1].AsSpan().SequenceEqual(root.RawData))
        {
            throw new ArgumentException(
                $"AttestationProviderOptions.{nameof(AttestationProviderOptions.SimulatedPckCertificateChainPem)} does not end at the certificate in .{nameof(AttestationProviderOptions.SimulationRootPem)}: its quotes would not verify here.",
                nameof(chainPem));
        }
    }

    private static byte[] Measurement(string hex, string name)
    {
        if (hex is not { Length: 64 } || !hex.All(char.IsAsciiHexDigit))
            throw new ArgumentException($"AttestationProviderOptions.{name} must be 64 hex digits; got '{hex}'.", name);
        return Convert.FromHexString(hex);
    }
}
