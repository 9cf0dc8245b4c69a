using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using SmimeAdmin.Core.Messages;
using SmimeAdmin.Core.Tests.Validation;
using Xunit;

namespace SmimeAdmin.Core.Tests.Messages;

/// <summary>Bad input for verifying and opening: each gives a clear result or a <see cref="SmimeMessageException"/>.</summary>
public sealed class SmimeMessageOpenerTests
{
    private static MessagePki Users => MessagePki.Instance;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_message_altered_after_signing_is_a_SignatureMismatch(bool clear)
    {
        using var organization = new MessageOrganization(new Dictionary<string, object?> { ["OWAClearSign"] = clear });
        byte[] signed = Sign(organization, Users.Alice);
        byte[] altered = clear
            ? Replace(signed, "nothing here is secret", "everything is secret!!")
            : Encoding.ASCII.GetBytes(TamperBase64(Encoding.ASCII.GetString(signed)));
        using SmimeMessageOpener opener = organization.Opener();

        SmimeSignatureResult result = Assert.Single(opener.Open(altered).Signatures);

        Assert.False(result.IsValid);
        Assert.Contains(result.Findings, finding => finding.Code == "SignatureMismatch" && finding.IsError);
    }

    [Fact]
    public void A_signer_outside_the_collection_is_ChainNotTrusted()
    {
        using var organization = new MessageOrganization(collection: MessagePki.Collection.Append(Users.Outsider.Certificate));
        byte[] signed = Sign(organization, Users.Mallory);
        using var strict = new MessageOrganization();
        using SmimeMessageOpener opener = strict.Opener();

        SmimeSignatureResult result = Assert.Single(opener.Open(signed).Signatures);

        Assert.False(result.IsValid);
        Assert.Contains(result.Findings, finding => finding.Code == "ChainNotTrusted");
    }

    [Fact]
    public void A_revoked_signer_is_Revoked()
    {
        var crl = new Uri("http://crl.contoso.test/issuing.crl");
        byte[] certificate = ValidationPki.Intermediate.Issue(new CertificateOptions
        {
            Subject = "O=Contoso,CN=Revoked Alice",
            PublicKey = Users.Alice.Key.Public,
            Emails = new[] { Users.Alice.Address },
            CrlUris = new[] { crl },
        });
        var revoked = new MessageUser(Users.Alice.Address, Users.Alice.Key, certificate);
        using var signing = new MessageOrganization(new Dictionary<string, object?> { ["OWADisableCRLCheck"] = true });
        byte[] signed = Sign(signing, revoked);
        using var organization = new MessageOrganization();
        organization.Crls.Serve(crl, ValidationPki.Intermediate.Crl(DateTime.UtcNow, TimeSpan.FromDays(7), new[] { certificate }));
        using SmimeMessageOpener opener = organization.Opener();

        SmimeSignatureResult result = Assert.Single(opener.Open(signed).Signatures);

        Assert.False(result.IsValid);
        Assert.Contains(result.Findings, finding => finding.Code == "Revoked");
    }

    [Fact]
    public void A_key_of_no_recipient_is_NoDecryptionKey_and_no_key_leaves_the_message_closed()
    {
        using var organization = new MessageOrganization().WithCertificate(Users.Bob);
        byte[] encrypted = Encrypt(organization, Users.Bob);
        using SmimeMessageOpener wrongKey = organization.Opener(MessageOrganization.Keys(Users.Alice));
        using SmimeMessageOpener noKey = organization.Opener();

        SmimeMessageException refused = Assert.Throws<SmimeMessageException>(() => wrongKey.Open(encrypted));
        SmimeOpenedMessage closed = noKey.Open(encrypted);

        Assert.Equal(SmimeMessageErrorCode.NoDecryptionKey, refused.Code);
        Assert.True(closed.StillEncrypted);
        Assert.Empty(closed.Signatures);
    }

    [Fact]
    public void Truncated_or_garbled_CMS_is_MalformedCms()
    {
        using var organization = new MessageOrganization(new Dictionary<string, object?> { ["OWAClearSign"] = false }).WithCertificate(Users.Bob);
        string encrypted = Encoding.ASCII.GetString(Encrypt(organization, Users.Bob));
        string signed = Encoding.ASCII.GetString(Sign(organization, Users.Alice));
        using SmimeMessageOpener opener = organization.Opener(MessageOrganization.Keys(Users.Bob));

        foreach (string message in new[] { encrypted, signed })
        {
            int body = message.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4;
            string truncated = message.Substring(0, body + ((message.Length - body) / 2));
            string garbled = string.Concat(message.AsSpan(0, body), "TWFsZm9ybWVkIENNUyBkYXRh\r\n");
            Assert.Equal(SmimeMessageErrorCode.MalformedCms, Assert.Throws<SmimeMessageException>(() => opener.Open(Encoding.ASCII.GetBytes(truncated))).Code);
            Assert.Equal(SmimeMessageErrorCode.MalformedCms, Assert.Throws<SmimeMessageException>(() => opener.Open(Encoding.ASCII.GetBytes(garbled))).Code);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("just some text without any header")]
    [InlineData("\u0000\u0001\u0002binary\u00ff")]
    public void Input_that_is_not_MIME_is_NotMime(string input)
    {
        using var organization = new MessageOrganization();
        using SmimeMessageOpener opener = organization.Opener();
        using SmimeMessageProtector protector = organization.Protector();

        Assert.Equal(SmimeMessageErrorCode.NotMime, Assert.Throws<SmimeMessageException>(() => opener.Open(Encoding.Latin1.GetBytes(input))).Code);
        Assert.Equal(SmimeMessageErrorCode.NotMime, Assert.Throws<SmimeMessageException>(() => protector.Protect(Encoding.Latin1.GetBytes(input), null, false, true)).Code);
    }

    [Fact]
    public void More_than_eight_layers_are_refused()
    {
        using var organization = new MessageOrganization(new Dictionary<string, object?> { ["OWAClearSign"] = false });
        using SmimeMessageProtector protector = organization.Protector();
        SmimeMessageSigner signer = MessageOrganization.Signer(Users.Alice);
        byte[] message = MessagePki.PlainMessage(Users.Alice.Address, Users.Bob.Address);
        for (int layer = 0; layer <= SmimeMessageOpener.MaxLayers; layer++)
        {
            message = protector.Protect(message, signer, sign: true, encrypt: false)[0].Content;
        }

        using SmimeMessageOpener opener = organization.Opener();

        Assert.Equal(SmimeMessageErrorCode.TooManyLayers, Assert.Throws<SmimeMessageException>(() => opener.Open(message)).Code);
    }

    [Fact]
    public void An_unsigned_message_has_no_signatures_and_comes_back_as_it_was()
    {
        using var organization = new MessageOrganization();
        using SmimeMessageOpener opener = organization.Opener();
        byte[] plain = MessagePki.PlainMessage(Users.Alice.Address, Users.Bob.Address);

        SmimeOpenedMessage opened = opener.Open(plain);

        Assert.Empty(opened.Signatures);
        Assert.Empty(opened.Layers);
        Assert.Contains("nothing here is secret", Encoding.ASCII.GetString(opened.Content), StringComparison.Ordinal);
    }

    private static byte[] Sign(MessageOrganization organization, MessageUser signer)
    {
        using SmimeMessageProtector protector = organization.Protector();
        return protector.Protect(MessagePki.PlainMessage(signer.Address, Users.Bob.Address), MessageOrganization.Signer(signer), sign: true, encrypt: false)[0].Content;
    }

    private static byte[] Encrypt(MessageOrganization organization, MessageUser recipient)
    {
        using SmimeMessageProtector protector = organization.Protector();
        return protector.Protect(MessagePki.PlainMessage(Users.Carol.Address, recipient.Address), null, sign: false, encrypt: true)[0].Content;
    }

    private static byte[] Replace(byte[] message, string from, string to) =>
        Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(message).Replace(from, to, StringComparison.Ordinal));

    // Changes the encapsulated content inside the opaque signature's DER (same length), and encodes it again.
    private static string TamperBase64(string message)
    {
        int body = message.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4;
        byte[] cms = Convert.FromBase64String(message.Substring(body));
        byte[] from = Encoding.ASCII.GetBytes("nothing here is secret");
        int at = cms.AsSpan().IndexOf(from);
        Assert.True(at > 0, "the content is in the signed-data");
        Encoding.ASCII.GetBytes("everything is secret!!").CopyTo(cms, at);
        return string.Concat(message.AsSpan(0, body), Convert.ToBase64String(cms, Base64FormattingOptions.InsertLineBreaks), "\r\n");
    }
}
