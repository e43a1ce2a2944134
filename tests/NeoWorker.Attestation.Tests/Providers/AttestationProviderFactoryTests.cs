using NeoWorker.Attestation.Providers;
using NeoWorker.Attestation.Quotes;

namespace NeoWorker.Attestation.Tests.Providers;

public sealed class AttestationProviderFactoryTests : IDisposable
{
    private readonly ProviderTestKit _kit = new();

    [Theory]
    [InlineData("Simulation")]
    [InlineData("simulation")]
    [InlineData(" SIMULATION ")]
    public void Simulation_makes_the_simulated_provider(string type)
    {
        var provider = AttestationProviderFactory.Create(_kit.SimulationOptions() with { Type = type });

        var simulated = Assert.IsType<SimulatedAttestationProvider>(provider);
        Assert.Equal("Simulation", provider.Kind);
        Assert.True(simulated.CanGenerate);
        Assert.True(simulated.Policy.AllowSimulated);
    }

    [Theory]
    [InlineData("SgxDcap")]
    [InlineData("sgxdcap")]
    public void SgxDcap_makes_the_sgx_provider_with_the_default_policy(string type)
    {
        var provider = AttestationProviderFactory.Create(new AttestationProviderOptions { Type = type });

        var sgx = Assert.IsType<SgxDcapAttestationProvider>(provider);
        Assert.Equal("SgxDcap", provider.Kind);
        Assert.Same(QuotePolicy.Default, sgx.Policy);
        Assert.Null(sgx.Collateral);
    }

    [Fact]
    public void The_sgx_provider_keeps_the_callers_collateral_and_policy()
    {
        var policy = new QuotePolicy { MinimumIsvSvn = 2 };
        var collateral = Quotes.SgxTestData.CollateralA();

        var sgx = Assert.IsType<SgxDcapAttestationProvider>(AttestationProviderFactory.Create(
            new AttestationProviderOptions { Type = "SgxDcap", Policy = policy, Collateral = collateral }));

        Assert.Same(policy, sgx.Policy);
        Assert.Same(collateral, sgx.Collateral);
    }

    [Theory]
    [InlineData(null, "got nothing")]
    [InlineData("", "got \"\"")]
    [InlineData("Occlum", "got \"Occlum\"")]
    public void A_missing_or_unknown_type_is_refused_naming_the_choices(string? type, string got)
    {
        var error = Assert.Throws<ArgumentException>(() => AttestationProviderFactory.Create(new AttestationProviderOptions { Type = type }));

        Assert.Contains("AttestationProviderOptions.Type must be \"Simulation\" or \"SgxDcap\"", error.Message, StringComparison.Ordinal);
        Assert.Contains(got, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Simulation_without_its_root_is_refused_naming_the_option()
    {
        var error = Assert.Throws<ArgumentException>(() => AttestationProviderFactory.Create(_kit.SimulationOptions() with { SimulationRootPem = null }));

        Assert.Contains("SimulationRootPem is required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_intel_root_is_refused_as_a_simulation_root()
    {
        var error = Assert.Throws<ArgumentException>(() => AttestationProviderFactory.Create(_kit.SimulationOptions() with { SimulationRootPem = IntelSgx.RootCaPem }));

        Assert.Contains("is the Intel SGX Root CA", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pck_key_without_its_chain_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => AttestationProviderFactory.Create(_kit.SimulationOptions() with { SimulatedPckCertificateChainPem = null }));

        Assert.Contains("go together", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pck_from_another_deployment_is_refused_because_its_quotes_would_not_verify()
    {
        var other = new ProviderTestKit("other-deployment");

        var error = Assert.Throws<ArgumentException>(() => AttestationProviderFactory.Create(_kit.SimulationOptions() with
        {
            SimulatedPckPrivateKeyPem = other.Pck.PrivateKeyPem,
            SimulatedPckCertificateChainPem = other.Pck.CertificateChainPem,
        }));

        Assert.Contains("does not end at the certificate in .SimulationRootPem", error.Message, StringComparison.Ordinal);
        other.Dispose();
    }

    [Fact]
    public void A_pck_key_that_is_not_the_chains_leaf_is_refused()
    {
        var other = new ProviderTestKit("other-deployment");

        var error = Assert.Throws<ArgumentException>(() => AttestationProviderFactory.Create(_kit.SimulationOptions() with { SimulatedPckPrivateKeyPem = other.Pck.PrivateKeyPem }));

        Assert.Contains("SimulatedPckCertificateChainPem", error.Message, StringComparison.Ordinal);
        other.Dispose();
    }

    [Theory]
    [InlineData(null, "is required to generate")]
    [InlineData("abc", "must be 64 hex digits")]
    public void Generation_needs_a_well_formed_mrenclave(string? mrEnclave, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => AttestationProviderFactory.Create(_kit.SimulationOptions() with { SimulatedMrEnclaveHex = mrEnclave }));

        Assert.Contains("SimulatedMrEnclaveHex", error.Message, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_verify_only_simulated_provider_needs_only_the_root()
    {
        var provider = Assert.IsType<SimulatedAttestationProvider>(AttestationProviderFactory.Create(_kit.SimulationOptions(withPck: false)));

        Assert.False(provider.CanGenerate);
        Assert.Equal(_kit.Root.LoadCertificate().RawData, System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(provider.SimulationRootPem).RawData);
    }

    public void Dispose() => _kit.Dispose();
}
