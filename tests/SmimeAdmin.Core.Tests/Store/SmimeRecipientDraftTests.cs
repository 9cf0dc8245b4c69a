using System;
using System.Linq;
using SmimeAdmin.Core.Certificates;
using SmimeAdmin.Core.Settings;
using SmimeAdmin.Core.Store;
using SmimeAdmin.Core.Tests.Publishing;
using Xunit;

namespace SmimeAdmin.Core.Tests.Store;

public sealed class SmimeRecipientDraftTests
{
    private static readonly string[] s_proxiesAsGiven = { "smtp:a.smith@contoso.com", "A.Smith@contoso.com", "alice@CONTOSO.com", "SMTP:alice@fabrikam.com" };
    private static readonly string[] s_proxiesInAnotherOrder = { "alice@fabrikam.com", "a.smith@contoso.com" };
    private static readonly string[] s_notAnAddress = { "not an address" };

    private static PublishingPki Users => PublishingPki.Instance;

    [Fact]
    public void Proxy_addresses_lose_their_prefix_duplicates_and_the_primary_address()
    {
        var draft = new SmimeRecipientDraft("Alice@contoso.com");

        SmimeSettingChange? change = draft.SetProxyAddresses(s_proxiesAsGiven);

        Assert.Equal("a.smith@contoso.com, alice@fabrikam.com", string.Join(", ", draft.ProxyAddresses));
        Assert.Equal("ProxyAddresses", change!.Name);
        Assert.Equal(string.Empty, change.OldValue);
        Assert.Equal("a.smith@contoso.com, alice@fabrikam.com", change.NewValue);
        Assert.Null(draft.SetProxyAddresses(s_proxiesInAnotherOrder));
        Assert.Throws<SmimeRecipientAddressException>(() => draft.SetProxyAddresses(s_notAnAddress));
    }

    [Fact]
    public void Certificates_are_a_set_audited_by_thumbprint()
    {
        var draft = new SmimeRecipientDraft("alice@contoso.com");

        SmimeSettingChange? change = draft.SetUserCertificates(new[] { Users.AliceSigning, Users.AliceEncryption, Users.AliceSigning });

        Assert.Equal(2, draft.UserCertificates.Count);
        Assert.Equal("userCertificate", change!.Name);
        Assert.Equal(Thumbprint(Users.AliceSigning) + ", " + Thumbprint(Users.AliceEncryption), change.NewValue);
        Assert.Null(draft.SetUserCertificates(new[] { Users.AliceEncryption, Users.AliceSigning }));
        Assert.Equal(
            "certificates",
            Assert.Throws<ArgumentException>(() => draft.SetUserCertificates(new[] { new byte[] { 1, 2, 3 } })).ParamName);
    }

    [Fact]
    public void Smime_values_must_be_signed_data_and_are_audited_by_their_certificates()
    {
        var draft = new SmimeRecipientDraft("alice@contoso.com");
        byte[] blob = CertificateFile.WritePkcs7(new[] { Users.AliceSigning });

        SmimeSettingChange? change = draft.SetUserSmimeCertificates(new[] { blob });

        Assert.Equal("userSMIMECertificate", change!.Name);
        Assert.StartsWith(Thumbprint(Users.AliceSigning) + " (certs-only; SHA-256 ", (string)change.NewValue!, StringComparison.Ordinal);
        Assert.Equal(
            "blobs",
            Assert.Throws<ArgumentException>(() => draft.SetUserSmimeCertificates(new[] { Users.AliceSigning })).ParamName);
    }

    [Fact]
    public void Removing_reports_the_address_and_every_value_and_freezes_the_draft()
    {
        var stored = new SmimeRecipient(
            "Contoso", "alice@contoso.com", Guid.NewGuid(), DateTime.UtcNow, DateTime.UtcNow,
            s_proxiesInAnotherOrder, new[] { Users.AliceSigning }, Array.Empty<byte[]>(), "alice@contoso.com.json");
        var draft = new SmimeRecipientDraft(stored);

        var changes = draft.Remove();

        Assert.True(draft.IsRemoved);
        Assert.Equal("PrimarySmtpAddress, ProxyAddresses, userCertificate", string.Join(", ", changes.Select(change => change.Name)));
        Assert.Equal(string.Empty, changes[0].NewValue);
        Assert.Throws<InvalidOperationException>(() => draft.SetProxyAddresses(Array.Empty<string>()));
        Assert.Empty(draft.Remove());
        Assert.Empty(new SmimeRecipientDraft("bob@contoso.com").Remove());
    }

    private static string Thumbprint(byte[] certificate) => SmimeCaCertificate.Parse(certificate).Thumbprint;
}
