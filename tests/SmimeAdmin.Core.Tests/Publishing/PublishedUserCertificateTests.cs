using System;
using System.Collections.Generic;
using System.Linq;
using SmimeAdmin.Core.Certificates;
using SmimeAdmin.Core.Publishing;
using SmimeAdmin.Core.Settings;
using SmimeAdmin.Core.Store;
using SmimeAdmin.Core.Tests.Certificates;
using Xunit;

namespace SmimeAdmin.Core.Tests.Publishing;

public sealed class PublishedUserCertificateTests
{
    private const string Alice = "alice@contoso.com";
    private static readonly DateTime s_now = new(2026, 11, 28, 9, 0, 0, DateTimeKind.Utc);

    private static PublishingPki Users => PublishingPki.Instance;

    private static TestPki Ca => TestPki.Instance;

    private static string SigningThumbprint => SmimeCaCertificate.Parse(Users.AliceSigning).Thumbprint;

    private static string EncryptionThumbprint => SmimeCaCertificate.Parse(Users.AliceEncryption).Thumbprint;

    [Fact]
    public void Each_user_certificate_is_listed_per_attribute_and_the_blobs_chain_is_not()
    {
        SmimeRecipient recipient = Recipient(withChain: true);

        IReadOnlyList<PublishedUserCertificate> published = PublishedUserCertificate.Read(recipient);

        Assert.Equal(
            new[]
            {
                (UserCertificateAttributes.UserCertificate, SigningThumbprint),
                (UserCertificateAttributes.UserCertificate, EncryptionThumbprint),
                (UserCertificateAttributes.UserSmimeCertificate, SigningThumbprint),
                (UserCertificateAttributes.UserSmimeCertificate, EncryptionThumbprint),
            },
            published.Select(item => (item.Attribute, item.Certificate.Thumbprint)));
        Assert.Contains(Ca.Intermediate, UserSmimeCertificateReader.ReadCertificates(recipient.UserSmimeCertificates[0]));
        Assert.All(published, item => Assert.Equal(new[] { Alice }, item.EmailAddresses));
        bool[] signed = { false, false, true, true };
        Assert.Equal(signed, published.Select(item => item.IsSigned));
        Assert.Equal(Users.AliceSigning, published[0].RawData);
        Assert.Equal(Users.AliceSigning, published[0].GetAttributeValue());
        Assert.Equal(recipient.UserSmimeCertificates[0], published[3].GetAttributeValue());
    }

    [Fact]
    public void Removing_by_thumbprint_takes_the_certificate_and_every_blob_that_carries_it()
    {
        var draft = new SmimeRecipientDraft(Recipient(withChain: true));

        IReadOnlyList<SmimeSettingChange> changes = PublishedUserCertificate.RemoveFrom(
            draft, new[] { SigningThumbprint.ToLowerInvariant(), "00FF" }, UserCertificateAttributes.Both, out IReadOnlyCollection<string> removed);

        Assert.Equal(new[] { SigningThumbprint }, removed);
        Assert.Equal("userCertificate, userSMIMECertificate", string.Join(", ", changes.Select(change => change.Name)));
        Assert.Equal(new[] { Users.AliceEncryption }, draft.UserCertificates);
        Assert.Empty(draft.UserSmimeCertificates);
    }

    [Fact]
    public void Removing_from_one_attribute_leaves_the_other_and_without_thumbprints_removes_all()
    {
        var draft = new SmimeRecipientDraft(Recipient(withChain: false));

        PublishedUserCertificate.RemoveFrom(draft, null, UserCertificateAttributes.UserCertificate, out IReadOnlyCollection<string> removed);

        Assert.Equal(new[] { SigningThumbprint, EncryptionThumbprint }.OrderBy(thumbprint => thumbprint, StringComparer.Ordinal), removed);
        Assert.Empty(draft.UserCertificates);
        Assert.Single(draft.UserSmimeCertificates);
    }

    [Fact]
    public void Removing_what_is_not_published_changes_nothing()
    {
        var draft = new SmimeRecipientDraft(Recipient(withChain: false));

        IReadOnlyList<SmimeSettingChange> changes = PublishedUserCertificate.RemoveFrom(
            draft, new[] { SmimeCaCertificate.Parse(Users.Bob).Thumbprint }, UserCertificateAttributes.Both, out IReadOnlyCollection<string> removed);

        Assert.Empty(changes);
        Assert.Empty(removed);
        Assert.Equal(2, draft.UserCertificates.Count);
    }

    // Alice with her signing and encryption certificates, the blob signed with her signing key.
    private static SmimeRecipient Recipient(bool withChain)
    {
        byte[] pfx = Users.Pfx(
            PublishingPki.Password,
            new[]
            {
                (Users.AliceSigningKey.Private, new[] { Users.AliceSigning, Ca.Intermediate, Ca.Root }),
                (Users.AliceEncryptionKey.Private, new[] { Users.AliceEncryption, Ca.Intermediate, Ca.Root }),
            },
            Array.Empty<byte[]>());
        var settings = new SmimeSettings { OWAIncludeCertificateChainWithoutRootCertificate = withChain };
        var publication = UserCertificatePublication.Create(UserCertificateFile.Read(pfx, PublishingPki.Password), settings, s_now);
        var draft = new SmimeRecipientDraft(Alice);
        publication.ApplyTo(draft);
        return new SmimeRecipient("Contoso", Alice, Guid.NewGuid(), s_now, s_now, Array.Empty<string>(), draft.UserCertificates, draft.UserSmimeCertificates, "memory");
    }
}
