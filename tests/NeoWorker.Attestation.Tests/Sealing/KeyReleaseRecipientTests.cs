using NeoWorker.Attestation.Sealing;
using NeoWorker.Attestation.Tests.Quotes;

namespace NeoWorker.Attestation.Tests.Sealing;

/// <summary>The enclave's side of a release: only the release that answers its own request opens, once.</summary>
public sealed class KeyReleaseRecipientTests : IDisposable
{
    private static readonly SimulatedDeployment Deployment = SimulatedDeployment.Create();

    private readonly SealingKeyPair _key = SealingKeyPair.Generate();
    private readonly EnclaveStandIn _enclave = EnclaveStandIn.Create(Deployment);

    [Fact]
    public void A_release_for_another_enclaves_request_is_refused_as_the_wrong_transport_key()
    {
        using var mine = _enclave.NewRecipient();
        using var theirs = _enclave.NewRecipient();

        var error = Assert.Throws<KeyReleaseException>(() => mine.Open(ReleaseFor(theirs)));

        Assert.Equal(KeyReleaseRejection.WrongTransportKey, error.Reason);
    }

    [Fact]
    public void A_release_opens_once()
    {
        using var recipient = _enclave.NewRecipient();
        var release = ReleaseFor(recipient);
        foreach (var key in recipient.Open(release)) key.Dispose();

        var error = Assert.Throws<KeyReleaseException>(() => recipient.Open(release));

        Assert.Equal(KeyReleaseRejection.NoPendingRequest, error.Reason);
    }

    [Fact]
    public void A_refused_release_leaves_the_request_open_for_the_right_one()
    {
        using var recipient = _enclave.NewRecipient();
        var release = ReleaseFor(recipient);
        Assert.Throws<KeyReleaseException>(() => recipient.Open(EnvelopeText.Flip(release, "ct", 3)));

        var keys = recipient.Open(release);

        Assert.Equal(_key.KeyId, Assert.Single(keys).KeyId);
        keys[0].Dispose();
    }

    [Theory]
    [InlineData("ct", KeyReleaseRejection.DecryptionFailed)]
    [InlineData("nonce", KeyReleaseRejection.DecryptionFailed)]
    [InlineData("requestNonce", KeyReleaseRejection.WrongRequest)]
    public void An_altered_field_is_refused_with_its_reason(string field, KeyReleaseRejection reason)
    {
        using var recipient = _enclave.NewRecipient();

        var error = Assert.Throws<KeyReleaseException>(() => recipient.Open(EnvelopeText.Flip(ReleaseFor(recipient), field, 0)));

        Assert.Equal(reason, error.Reason);
    }

    [Fact]
    public void Relabelled_sealing_key_ids_do_not_decrypt()
    {
        using var other = SealingKeyPair.Generate();
        using var recipient = _enclave.NewRecipient();
        var relabelled = EnvelopeText.With(ReleaseFor(recipient), "sealingKeyIds", $"[\"{other.KeyId}\"]");

        var error = Assert.Throws<KeyReleaseException>(() => recipient.Open(relabelled));

        Assert.Equal(KeyReleaseRejection.DecryptionFailed, error.Reason);
    }

    [Fact]
    public void Refusals_never_quote_the_release()
    {
        using var recipient = _enclave.NewRecipient();
        var release = EnvelopeText.Flip(ReleaseFor(recipient), "ct", 0);

        var error = Assert.Throws<KeyReleaseException>(() => recipient.Open(release));

        Assert.DoesNotContain(EnvelopeText.Field(release, "ct")[..12], error.Message, StringComparison.Ordinal);
    }

    private string ReleaseFor(KeyReleaseRecipient recipient) => SealingKeyReleaser.Wrap(recipient.Request, [_key]);

    public void Dispose()
    {
        _key.Dispose();
        _enclave.Dispose();
    }
}
