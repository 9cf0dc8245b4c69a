using System;
using System.Collections.Generic;
using System.Linq;
using Org.BouncyCastle.Asn1.Smime;
using Org.BouncyCastle.Cms;
using SmimeAdmin.Core.Certificates;
using SmimeAdmin.Core.Messages;
using SmimeAdmin.Core.Settings;
using SmimeAdmin.Core.Store;
using SmimeAdmin.Core.Tests.Validation;
using Xunit;

namespace SmimeAdmin.Core.Tests.Messages;

public sealed class SmimeMessageProtectorTests
{
    private static readonly string[] s_advertised = { "2.16.840.1.101.3.4.1.42", "1.2.840.113549.3.2" };
    private static readonly string[] s_encrypted = { "Encrypted" };

    private static MessagePki Users => MessagePki.Instance;

    public static TheoryData<bool, bool, bool, int> Inclusions => new()
    {
        // inclusion, chain without root, chain and root, certificates expected (signer, then intermediate, then root)
        { true, false, false, 1 },
        { true, true, false, 2 },
        { true, false, true, 3 },
        { false, true, true, 0 },
    };

    [Theory]
    [MemberData(nameof(Inclusions))]
    public void The_signature_carries_the_certificates_the_settings_ask_for(bool inclusion, bool withoutRoot, bool withRoot, int expected)
    {
        using var organization = new MessageOrganization(new Dictionary<string, object?>
        {
            ["OWASignedEmailCertificateInclusion"] = inclusion,
            ["OWAIncludeCertificateChainWithoutRootCertificate"] = withoutRoot,
            ["OWAIncludeCertificateChainAndRootCertificate"] = withRoot,
        });
        using SmimeMessageProtector protector = organization.Protector();

        SmimeProtectedMessage signed = Assert.Single(protector.Protect(MessagePki.PlainMessage(Users.Alice.Address, Users.Bob.Address), MessageOrganization.Signer(Users.Alice), sign: true, encrypt: false));

        var carried = new CmsSignedData(MessageParts.Cms(signed.Content)).GetCertificates().EnumerateMatches(null).Select(certificate => certificate.GetEncoded()).ToList();
        byte[][] chain = { Users.Alice.Certificate, ValidationPki.Intermediate.Certificate, ValidationPki.Root.Certificate };
        Assert.Equal(expected, carried.Count);
        Assert.All(chain.Take(expected), certificate => Assert.Contains(carried, one => one.AsSpan().SequenceEqual(certificate)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_SMIMECapabilities_attribute_follows_the_setting(bool include)
    {
        using var organization = new MessageOrganization(new Dictionary<string, object?>
        {
            ["OWAIncludeSMIMECapabilitiesInMessage"] = include,
            ["OWAEncryptionAlgorithms"] = "6610;6602:128",
        });
        using SmimeMessageProtector protector = organization.Protector();

        SmimeProtectedMessage signed = Assert.Single(protector.Protect(MessagePki.PlainMessage(Users.Alice.Address, Users.Bob.Address), MessageOrganization.Signer(Users.Alice), sign: true, encrypt: false));

        SignerInformation signer = new CmsSignedData(MessageParts.Cms(signed.Content)).GetSignerInfos().GetSigners().Single();
        var attribute = signer.SignedAttributes[SmimeAttributes.SmimeCapabilities];
        if (!include)
        {
            Assert.Null(attribute);
            return;
        }

        var capabilities = Org.BouncyCastle.Asn1.Asn1Sequence.GetInstance(attribute!.AttrValues[0]);
        Assert.Equal(s_advertised, capabilities.Cast<Org.BouncyCastle.Asn1.Asn1Encodable>().Select(capability => SmimeCapability.GetInstance(capability).CapabilityID.Id));
    }

    [Fact]
    public void The_cipher_is_the_first_of_the_list_that_every_recipient_publishes_it_supports()
    {
        var aes128Only = new SmimeSettings { OWAEncryptionAlgorithms = "660E" };
        using var organization = new MessageOrganization(new Dictionary<string, object?> { ["OWAEncryptionAlgorithms"] = "6610;660E;6603" })
            .WithPublication(Users.Bob, aes128Only)
            .WithCertificate(Users.Alice);
        using SmimeMessageProtector protector = organization.Protector();

        SmimeProtectedMessage toBoth = Assert.Single(protector.Protect(MessagePki.PlainMessage(Users.Carol.Address, Users.Alice.Address + ", " + Users.Bob.Address), null, sign: false, encrypt: true));
        SmimeProtectedMessage toAlice = Assert.Single(protector.Protect(MessagePki.PlainMessage(Users.Carol.Address, Users.Alice.Address), null, sign: false, encrypt: true));

        Assert.Equal("660E (AES-128-CBC)", toBoth.EncryptionAlgorithm);
        Assert.Equal("6610 (AES-256-CBC)", toAlice.EncryptionAlgorithm);
        Assert.Equal("2.16.840.1.101.3.4.1.2", new CmsEnvelopedData(MessageParts.Cms(toBoth.Content)).EncryptionAlgOid);
    }

    [Fact]
    public void A_recipient_s_userSMIMECertificate_is_tried_before_its_userCertificate()
    {
        using var organization = new MessageOrganization().WithPublication(Users.Bob);
        organization.Store.UpdateRecipient(
            MessageOrganization.Name,
            Users.Bob.Address,
            draft => new[] { draft.SetUserCertificates(new[] { Users.Dave.Certificate }) }.OfType<SmimeSettingChange>().ToList(),
            new SmimeAuditContext("tests", "localhost", "tests"));
        using SmimeMessageProtector protector = organization.Protector();

        // Bob's blob certifies bob@contoso.com; the userCertificate value now is Dave's, for another address. The blob wins.
        SmimeProtectedMessage encrypted = Assert.Single(protector.Protect(MessagePki.PlainMessage(Users.Carol.Address, Users.Bob.Address), null, sign: false, encrypt: true));
        using SmimeMessageOpener opener = organization.Opener(MessageOrganization.Keys(Users.Bob));
        Assert.Equal(s_encrypted, opener.Open(encrypted.Content).Layers);
    }

    [Fact]
    public void A_recipient_whose_certificate_names_another_address_gets_no_message()
    {
        using var organization = new MessageOrganization().WithCertificate(Users.Dave, primary: "erin@contoso.com");
        using SmimeMessageProtector protector = organization.Protector();

        SmimeMessageException refused = Assert.Throws<SmimeMessageException>(() =>
            protector.Protect(MessagePki.PlainMessage(Users.Carol.Address, "erin@contoso.com"), null, sign: false, encrypt: true));

        Assert.Equal(SmimeMessageErrorCode.RecipientCertificateUnavailable, refused.Code);
        Assert.Equal("erin@contoso.com", refused.Target);
        Assert.Contains("AddressMismatch", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_signer_outside_the_collection_or_for_another_address_is_refused()
    {
        using var organization = new MessageOrganization();
        using SmimeMessageProtector protector = organization.Protector();

        SmimeMessageException untrusted = Assert.Throws<SmimeMessageException>(() =>
            protector.Protect(MessagePki.PlainMessage(Users.Mallory.Address, Users.Bob.Address), MessageOrganization.Signer(Users.Mallory), sign: true, encrypt: false));
        SmimeMessageException impostor = Assert.Throws<SmimeMessageException>(() =>
            protector.Protect(MessagePki.PlainMessage(Users.Bob.Address, Users.Carol.Address), MessageOrganization.Signer(Users.Alice), sign: true, encrypt: false));

        Assert.Equal(SmimeMessageErrorCode.SignerCertificateInvalid, untrusted.Code);
        Assert.Contains("ChainNotTrusted", untrusted.Message, StringComparison.Ordinal);
        Assert.Equal(SmimeMessageErrorCode.SignerCertificateInvalid, impostor.Code);
        Assert.Contains("AddressMismatch", impostor.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_digest_is_the_first_usable_entry_of_OWASigningAlgorithms()
    {
        using var organization = new MessageOrganization(new Dictionary<string, object?> { ["OWASigningAlgorithms"] = "800E;800C" });
        using SmimeMessageProtector protector = organization.Protector();

        SmimeProtectedMessage signed = Assert.Single(protector.Protect(MessagePki.PlainMessage(Users.Alice.Address, Users.Bob.Address), MessageOrganization.Signer(Users.Alice), sign: true, encrypt: false));

        Assert.Equal("800E (SHA-512)", signed.DigestAlgorithm);
        Assert.Contains("micalg=sha-512", System.Text.Encoding.ASCII.GetString(signed.Content), StringComparison.Ordinal);
        Assert.Equal("2.16.840.1.101.3.4.2.3", new CmsSignedData(MessageParts.Cms(signed.Content)).GetSignerInfos().GetSigners().Single().DigestAlgorithmID.Algorithm.Id);
    }

    [Fact]
    public void An_EC_signer_passes_over_MD5_and_is_refused_when_nothing_else_is_listed()
    {
        using var organization = new MessageOrganization(new Dictionary<string, object?> { ["OWASigningAlgorithms"] = "8003;800D" });
        using SmimeMessageProtector protector = organization.Protector();
        byte[] message = MessagePki.PlainMessage(Users.Bob.Address, Users.Alice.Address);

        Assert.Equal("800D (SHA-384)", protector.Protect(message, MessageOrganization.Signer(Users.Bob), sign: true, encrypt: false)[0].DigestAlgorithm);
        Assert.Equal("8003 (MD5)", protector.Protect(MessagePki.PlainMessage(Users.Alice.Address, Users.Bob.Address), MessageOrganization.Signer(Users.Alice), sign: true, encrypt: false)[0].DigestAlgorithm);
        using var md5Only = new MessageOrganization(new Dictionary<string, object?> { ["OWASigningAlgorithms"] = "8003" });
        using SmimeMessageProtector md5Protector = md5Only.Protector();
        SmimeMessageException refused = Assert.Throws<SmimeMessageException>(() => md5Protector.Protect(message, MessageOrganization.Signer(Users.Bob), sign: true, encrypt: false));
        Assert.Equal(SmimeMessageErrorCode.NoUsableAlgorithm, refused.Code);
    }

    [Fact]
    public void Nothing_to_do_and_a_missing_signer_are_refused_before_any_message()
    {
        using var organization = new MessageOrganization(new Dictionary<string, object?> { ["OWAAlwaysSign"] = true });
        using SmimeMessageProtector protector = organization.Protector();

        Assert.Equal(SmimeMessageErrorCode.SignerRequired, Assert.Throws<SmimeMessageException>(() => protector.CheckPlan(false, true, null)).Code);
        protector.CheckPlan(false, false, MessageOrganization.Signer(Users.Alice));
        using var plain = new MessageOrganization();
        using SmimeMessageProtector plainProtector = plain.Protector();
        Assert.Equal(SmimeMessageErrorCode.NothingToDo, Assert.Throws<SmimeMessageException>(() => plainProtector.CheckPlan(false, false, null)).Code);
    }

    [Fact]
    public void Protecting_changes_no_recipient_and_audits_nothing()
    {
        using var organization = new MessageOrganization().WithCertificate(Users.Bob);
        SmimeRecipient before = organization.Store.ReadRecipient(MessageOrganization.Name, Users.Bob.Address)!;
        int audited = organization.Store.ReadAuditLog(MessageOrganization.Name).Count;
        using SmimeMessageProtector protector = organization.Protector();

        protector.Protect(MessagePki.PlainMessage(Users.Alice.Address, Users.Bob.Address), MessageOrganization.Signer(Users.Alice), sign: true, encrypt: true);

        SmimeRecipient after = organization.Store.ReadRecipient(MessageOrganization.Name, Users.Bob.Address)!;
        Assert.Equal(before.WhenChangedUtc, after.WhenChangedUtc);
        Assert.Equal(before.UserCertificates, after.UserCertificates);
        Assert.Equal(audited, organization.Store.ReadAuditLog(MessageOrganization.Name).Count);
    }
}
