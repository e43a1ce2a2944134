using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using NeoWorker.Attestation.Quotes;

namespace NeoWorker.Attestation.Tests.Quotes;

/// <summary>The per-deployment simulation root and the simulated PCK certificates it issues.</summary>
public sealed class SimulationRootTests
{
    private readonly SimulatedDeployment deployment = SimulatedDeployment.Create("acme-staging");

    [Fact]
    public void The_root_is_a_self_signed_p256_ca_that_says_it_is_not_hardware()
    {
        using var root = deployment.Root.LoadCertificate();
        using var key = root.GetECDsaPublicKey();

        Assert.Equal(root.Subject, root.Issuer);
        Assert.Equal(256, key!.KeySize);
        Assert.True(root.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.Equal(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, root.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages);
        Assert.Contains("not SGX hardware", root.Subject);
        Assert.Contains("O=acme-staging", root.Subject);
        Assert.False(IntelSgx.IsRootCa(root));
    }

    [Fact]
    public void The_pck_certificate_is_a_leaf_issued_by_the_root_for_the_exported_key()
    {
        var chain = new X509Certificate2Collection();
        chain.ImportFromPem(deployment.Pck.CertificateChainPem);
        using var leaf = chain[0];
        using var root = chain[1];
        using var key = ECDsa.Create();
        key.ImportFromPem(deployment.Pck.PrivateKeyPem);

        Assert.Equal(2, chain.Count);
        Assert.Equal(root.Subject, leaf.Issuer);
        Assert.Equal(deployment.Root.CertificatePem, root.ExportCertificatePem());
        Assert.False(leaf.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.Equal(X509KeyUsageFlags.DigitalSignature, leaf.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages);
        Assert.Equal(leaf.PublicKey.ExportSubjectPublicKeyInfo(), key.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public void A_root_loaded_from_its_pems_issues_pcks_that_verify()
    {
        var loaded = SimulationRoot.FromPem(deployment.Root.CertificatePem, deployment.Root.PrivateKeyPem);
        var pck = loaded.IssuePck("acme-staging", SimulatedDeployment.Now.AddDays(-1), SimulatedDeployment.Now.AddDays(1));
        using var key = ECDsa.Create();
        key.ImportFromPem(pck.PrivateKeyPem);
        var quote = new SimulatedQuoteBuilder(key, pck.CertificateChainPem).Build(SimulatedDeployment.Report());

        QuoteAssert.Valid(deployment.Verify(quote));
    }

    [Fact]
    public void A_root_key_that_does_not_match_its_certificate_is_refused()
    {
        var other = SimulationRoot.Create("other", SimulatedDeployment.Now.AddDays(-1), SimulatedDeployment.Now.AddDays(1));

        Assert.Throws<ArgumentException>(() => SimulationRoot.FromPem(deployment.Root.CertificatePem, other.PrivateKeyPem));
    }

    [Fact]
    public void A_pck_outliving_the_root_is_refused()
    {
        Assert.Throws<ArgumentException>(() => deployment.Root.IssuePck("acme-staging", SimulatedDeployment.Now, SimulatedDeployment.Now.AddYears(20)));
    }

    [Fact]
    public void Printing_a_credential_does_not_print_its_key()
    {
        Assert.DoesNotContain("PRIVATE KEY", deployment.Root.ToString());
        Assert.DoesNotContain("PRIVATE KEY", deployment.Pck.ToString());
    }
}
