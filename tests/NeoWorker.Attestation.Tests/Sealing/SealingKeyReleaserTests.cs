using NeoWorker.Attestation.Quotes;
using NeoWorker.Attestation.Sealing;
using NeoWorker.Attestation.Tests.Quotes;

namespace NeoWorker.Attestation.Tests.Sealing;

/// <summary>
/// The operator's side of the key release: what is released to whom, and every refusal naming the check that failed.
/// The enclave side is <see cref="KeyReleaseRecipient"/> (the runner's keyRelease.js does the same).
/// </summary>
public sealed class SealingKeyReleaserTests : IDisposable
{
    private static readonly SimulatedDeployment Deployment = SimulatedDeployment.Create();

    private readonly SealingKeyPair _current = SealingKeyPair.Generate();
    private readonly SealingKeyPair _previous = SealingKeyPair.Generate();
    private readonly EnclaveStandIn _enclave = EnclaveStandIn.Create(Deployment);

    private SealingKeyPair[] Keys => [_current, _previous];

    [Fact]
    public void An_allowed_request_is_released_and_the_enclave_opens_exactly_the_fleet_keys()
    {
        using var recipient = _enclave.NewRecipient();
        var verdict = Release(recipient.Request.Serialize(), EnclaveStandIn.PinnedPolicy());

        Assert.True(verdict.IsReleased, verdict.FailureReason);
        Assert.True(verdict.IsSimulated);
        Assert.Equal([_current.KeyId, _previous.KeyId], verdict.SealingKeyIds);
        var opened = recipient.Open(verdict.Envelope!);
        try
        {
            Assert.Equal([_current.KeyId, _previous.KeyId], opened.Select(k => k.KeyId));
            Assert.Equal(_current.ExportPrivateKeyPem(), opened[0].ExportPrivateKeyPem());
            var sealedSecret = new SecretSealer().Seal(_previous.PublicKey, """{"token":"s3cret"}""", "user-1", "function-1");
            Assert.Equal("""{"token":"s3cret"}""", new SecretUnsealer(opened).Unseal(sealedSecret, "user-1", "function-1"));
        }
        finally
        {
            foreach (var key in opened) key.Dispose();
        }
    }

    [Fact]
    public void The_release_names_the_transport_key_and_request_and_holds_no_key_in_the_clear()
    {
        using var recipient = _enclave.NewRecipient();
        var verdict = Release(recipient.Request.Serialize(), EnclaveStandIn.PinnedPolicy());

        var envelope = KeyReleaseEnvelope.Parse(verdict.Envelope!);
        Assert.Equal(recipient.Request.TransportKeyId, envelope.TransportKeyId);
        Assert.Equal(recipient.Request.Nonce.ToArray(), envelope.RequestNonce.ToArray());
        foreach (var line in PrivateKeyLines(_current).Concat(PrivateKeyLines(_previous)))
        {
            Assert.DoesNotContain(line, verdict.Envelope!, StringComparison.Ordinal);
            Assert.DoesNotContain(line, verdict.FailureReason ?? "", StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_tampered_signature_is_refused_naming_the_signature_check()
    {
        using var recipient = _enclave.NewRecipient();
        var tampered = EnvelopeText.Flip(recipient.Request.Serialize(), "signature", 10);

        var verdict = Release(tampered, EnclaveStandIn.PinnedPolicy());

        AssertRefused(verdict, SealingKeyReleaser.SignatureCheck);
    }

    [Fact]
    public void A_transport_key_swapped_by_the_host_breaks_the_signature_and_is_refused()
    {
        using var recipient = _enclave.NewRecipient();
        using var hostKey = SealingKeyPair.Generate();
        var swapped = EnvelopeText.WithBytes(recipient.Request.Serialize(), "transportPublicKey", hostKey.PublicKey.ExportPoint());

        var verdict = Release(swapped, EnclaveStandIn.PinnedPolicy());

        AssertRefused(verdict, SealingKeyReleaser.SignatureCheck);
    }

    [Fact]
    public void A_request_signed_by_a_key_the_quote_does_not_bind_is_refused_naming_the_key_binding()
    {
        using var other = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        using var enclave = EnclaveStandIn.Create(Deployment, boundKey: other);
        using var recipient = enclave.NewRecipient();

        var verdict = Release(recipient.Request.Serialize(), EnclaveStandIn.PinnedPolicy());

        AssertRefused(verdict, SealingKeyReleaser.KeyBindingCheck);
        Assert.True(verdict.Evidence!.IsValid, "the quote itself is genuine; only its binding is wrong");
    }

    [Fact]
    public void A_quote_from_a_disallowed_MRENCLAVE_is_refused_naming_the_policy_check()
    {
        using var recipient = _enclave.NewRecipient();
        var policy = new QuotePolicy { AllowSimulated = true, AllowedMrEnclaves = [new string('a', 64)] };

        var verdict = Release(recipient.Request.Serialize(), policy);

        AssertRefused(verdict, SealingKeyReleaser.EvidenceCheck);
        Assert.Contains("[policy-mrenclave]", verdict.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Simulated_evidence_without_AllowSimulated_is_refused_naming_the_policy_check()
    {
        using var recipient = _enclave.NewRecipient();

        var verdict = Release(recipient.Request.Serialize(), EnclaveStandIn.PinnedPolicy(allowSimulated: false));

        AssertRefused(verdict, SealingKeyReleaser.EvidenceCheck);
        Assert.Contains("[policy-simulated]", verdict.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_debug_enclave_is_refused_unless_the_policy_allows_debug()
    {
        using var debug = EnclaveStandIn.Create(Deployment, debug: true);
        using var recipient = debug.NewRecipient();
        var request = recipient.Request.Serialize();

        var refused = Release(request, EnclaveStandIn.PinnedPolicy());
        var allowed = Release(request, new QuotePolicy { AllowSimulated = true, AllowDebug = true, AllowedMrEnclaves = [EnclaveStandIn.MrEnclaveHex] });

        AssertRefused(refused, SealingKeyReleaser.EvidenceCheck);
        Assert.Contains("[policy-debug]", refused.FailureReason, StringComparison.Ordinal);
        Assert.True(allowed.IsReleased, allowed.FailureReason);
    }

    [Fact]
    public void An_enclave_below_the_minimum_ISV_SVN_is_refused()
    {
        using var recipient = _enclave.NewRecipient(); // ISV SVN 3
        var policy = new QuotePolicy { AllowSimulated = true, AllowedMrSigners = [EnclaveStandIn.MrSignerHex], MinimumIsvSvn = 4 };

        var verdict = Release(recipient.Request.Serialize(), policy);

        AssertRefused(verdict, SealingKeyReleaser.EvidenceCheck);
        Assert.Contains($"[{QuoteVerifier.PolicyMinimumIsvSvnCheck}]", verdict.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_policy_that_pins_no_enclave_releases_nothing_even_to_a_genuine_one()
    {
        using var recipient = _enclave.NewRecipient();

        var verdict = Release(recipient.Request.Serialize(), new QuotePolicy { AllowSimulated = true });

        AssertRefused(verdict, SealingKeyReleaser.PolicyPinnedCheck);
    }

    [Fact]
    public void A_pinned_MRSIGNER_is_enough()
    {
        using var recipient = _enclave.NewRecipient();

        var verdict = Release(recipient.Request.Serialize(), new QuotePolicy { AllowSimulated = true, AllowedMrSigners = [EnclaveStandIn.MrSignerHex] });

        Assert.True(verdict.IsReleased, verdict.FailureReason);
    }

    [Fact]
    public void Evidence_from_another_deployment_is_refused()
    {
        using var stranger = EnclaveStandIn.Create(SimulatedDeployment.Create("another-deployment"));
        using var recipient = stranger.NewRecipient();

        var verdict = Release(recipient.Request.Serialize(), EnclaveStandIn.PinnedPolicy());

        AssertRefused(verdict, SealingKeyReleaser.EvidenceCheck);
        Assert.Contains("[pck-chain]", verdict.FailureReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"v":2}""")]
    [InlineData("[]")]
    public void A_request_that_is_not_a_version_1_request_is_refused_naming_the_format(string text)
    {
        var verdict = Release(text, EnclaveStandIn.PinnedPolicy());

        AssertRefused(verdict, SealingKeyReleaser.RequestFormatCheck);
        Assert.Single(verdict.Checks);
    }

    [Fact]
    public void A_request_with_an_extra_property_is_refused_naming_the_format()
    {
        using var recipient = _enclave.NewRecipient();

        var verdict = Release(EnvelopeText.WithString(recipient.Request.Serialize(), "keys", "please"), EnclaveStandIn.PinnedPolicy());

        AssertRefused(verdict, SealingKeyReleaser.RequestFormatCheck);
    }

    [Fact]
    public void A_request_round_trips_through_its_text()
    {
        using var recipient = _enclave.NewRecipient();
        var text = recipient.Request.Serialize();

        var parsed = KeyReleaseRequest.Parse(text);

        Assert.Equal(text, parsed.Serialize());
        Assert.True(parsed.HasValidSignature());
        Assert.Equal(recipient.Request.EnclaveKeyId, parsed.EnclaveKeyId);
    }

    [Fact]
    public void The_same_sealing_key_twice_is_a_programming_error()
    {
        using var recipient = _enclave.NewRecipient();
        var (releaser, trust) = EnclaveStandIn.Releaser(Deployment, EnclaveStandIn.PinnedPolicy());

        Assert.Throws<ArgumentException>(() => releaser.Release(recipient.Request.Serialize(), [_current, _current], trust));
        Assert.Throws<ArgumentException>(() => releaser.Release(recipient.Request.Serialize(), [], trust));
    }

    private KeyReleaseVerdict Release(string requestJson, QuotePolicy policy)
    {
        var (releaser, trust) = EnclaveStandIn.Releaser(Deployment, policy);
        return releaser.Release(requestJson, Keys, trust);
    }

    private static void AssertRefused(KeyReleaseVerdict verdict, string check)
    {
        Assert.False(verdict.IsAllowed);
        Assert.Null(verdict.Envelope);
        Assert.Contains(check, verdict.FailedChecks);
        Assert.Contains($"[{check}]", verdict.FailureReason, StringComparison.Ordinal);
    }

    private static IEnumerable<string> PrivateKeyLines(SealingKeyPair key) =>
        key.ExportPrivateKeyPem().Split('\n').Where(l => l.Length > 16 && !l.StartsWith("-----", StringComparison.Ordinal));

    public void Dispose()
    {
        _current.Dispose();
        _previous.Dispose();
        _enclave.Dispose();
    }
}
