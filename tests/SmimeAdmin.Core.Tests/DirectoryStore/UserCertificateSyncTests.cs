using System;
using System.Collections.Generic;
using System.Linq;
using SmimeAdmin.Core.Publishing;
using SmimeAdmin.Core.Settings;
using SmimeAdmin.Core.Store;
using SmimeAdmin.Core.Tests.Certificates;
using SmimeAdmin.Core.Tests.Publishing;
using SmimeAdmin.Core.Tests.Validation;
using SmimeAdmin.Ldap;
using Xunit;

namespace SmimeAdmin.Core.Tests.DirectoryStore;

/// <summary>Sync from an on-premises directory (slapd) into a folder store, and back into the directory.</summary>
public sealed class UserCertificateSyncTests : IDisposable
{
    private const string Contoso = "Contoso";
    private static readonly SmimeAuditContext s_context = new("admin", "ws01", "Sync-UserSmimeCertificate");
    private static readonly DateTime s_now = new(2026, 5, 6, 7, 8, 9, DateTimeKind.Utc);

    private static readonly string[] s_bob = { "bob@contoso.com" };

    private readonly TestDirectory _directory = new();
    private readonly TempFolder _folder = new();
    private readonly LdapSmimeStore _onPremises;
    private readonly FileSmimeStore _cloud;

    public UserCertificateSyncTests()
    {
        _directory.AddUser("alice", "alice@contoso.com");
        _directory.AddUser("bob", "bob@contoso.com");
        _directory.AddUser("carol", "carol@contoso.com");
        _onPremises = _directory.Connect(() => s_now);
        _cloud = new FileSmimeStore(_folder.Path);
        TrustTestPki(_cloud);
    }

    public void Dispose()
    {
        _directory.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public void Certificates_are_copied_once_and_a_second_run_changes_nothing()
    {
        PublishAt(_onPremises, "alice", PublishingPki.Instance.AliceSigning, PublishingPki.Instance.AliceEncryption);
        PublishAt(_onPremises, "bob", PublishingPki.Instance.Bob);

        SmimeSyncResult first = Sync(_onPremises, _cloud);
        SmimeSyncResult second = Sync(_onPremises, _cloud);

        Assert.Equal((2, 0, 0, 0), (first.Added, first.Updated, first.Removed, first.Failed));
        Assert.Equal(2, _cloud.ReadRecipient(Contoso, "alice@contoso.com")!.UserCertificates.Count);
        Assert.Equal((0, 0, 0, 2), (second.Added, second.Updated, second.Removed, second.Unchanged));
        Assert.Equal(2, _cloud.ReadAuditLog(Contoso).Count(record => record.Changes[0].Name == SmimeRecipientDraft.PrimarySmtpAddressName));
    }

    [Fact]
    public void A_changed_certificate_is_updated_and_one_removed_at_the_source_is_removed()
    {
        PublishAt(_onPremises, "alice", PublishingPki.Instance.AliceSigning);
        PublishAt(_onPremises, "bob", PublishingPki.Instance.Bob);
        Sync(_onPremises, _cloud);
        PublishAt(_onPremises, "alice", PublishingPki.Instance.AliceSigning, PublishingPki.Instance.AliceEncryption);
        _onPremises.UpdateRecipient(Contoso, "bob", draft => draft.Remove(), s_context);

        SmimeSyncResult result = Sync(_onPremises, _cloud);

        Assert.Equal((0, 1, 1, 0), (result.Added, result.Updated, result.Removed, result.Failed));
        Assert.Empty(_cloud.ReadRecipient(Contoso, "bob@contoso.com")!.UserCertificates);
        Assert.Equal(2, _cloud.ReadRecipient(Contoso, "alice@contoso.com")!.UserCertificates.Count);
    }

    [Fact]
    public void A_certificate_that_does_not_chain_to_the_destination_collection_is_reported_and_not_copied()
    {
        byte[] stranger = PublishingPki.Instance.V1Root("CN=Stranger", TestPki.Instance.OtherKey, 99);
        PublishAt(_onPremises, "alice", PublishingPki.Instance.AliceSigning, stranger);

        SmimeSyncResult result = Sync(_onPremises, _cloud);

        SmimeSyncItem alice = Assert.Single(result.Items);
        Assert.Equal(SmimeSyncAction.Added, alice.Action);
        Assert.Equal(1, result.InvalidCertificates);
        Assert.Contains(SmimeRecipientDraft.DescribeCertificate(stranger), Assert.Single(alice.Problems), StringComparison.Ordinal);
        Assert.Equal(PublishingPki.Instance.AliceSigning, Assert.Single(_cloud.ReadRecipient(Contoso, "alice@contoso.com")!.UserCertificates));
    }

    [Fact]
    public void A_blobs_chain_certificates_are_not_validated_as_the_users_even_a_version_1_root()
    {
        byte[] v1Root = PublishingPki.Instance.V1Root("CN=Stranger", TestPki.Instance.OtherKey, 98);
        byte[] blob = SmimeAdmin.Core.Certificates.Pkcs7Certificates.Write(new[] { PublishingPki.Instance.AliceSigning, v1Root });
        byte[] rootOnly = SmimeAdmin.Core.Certificates.Pkcs7Certificates.Write(new[] { v1Root });
        _onPremises.UpdateRecipient(Contoso, "alice", draft => new[] { draft.SetUserSmimeCertificates(new[] { blob, rootOnly }) }.OfType<SmimeSettingChange>().ToArray(), s_context);

        SmimeSyncResult result = Sync(_onPremises, _cloud);

        SmimeSyncItem alice = Assert.Single(result.Items);
        Assert.Equal(SmimeSyncAction.Added, alice.Action);
        Assert.Equal(blob, Assert.Single(_cloud.ReadRecipient(Contoso, "alice@contoso.com")!.UserSmimeCertificates));
        Assert.Contains(SmimeCertificateCollectionRecord.HexSha256(rootOnly).Substring(0, 16), Assert.Single(alice.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Into_a_directory_a_user_missing_there_fails_by_name_and_the_others_are_written()
    {
        var cloudSource = new FileSmimeStore(System.IO.Path.Combine(_folder.Path, "source"));
        PublishAt(cloudSource, "alice@contoso.com", PublishingPki.Instance.AliceSigning, createIfMissing: true);
        // Bob's certificate, under a primary address the directory does not have.
        cloudSource.UpdateRecipient(
            Contoso,
            "robert@contoso.com",
            draft => new[] { draft.SetProxyAddresses(s_bob), draft.SetUserCertificates(new[] { PublishingPki.Instance.Bob }) }.OfType<SmimeSettingChange>().ToArray(),
            s_context,
            createIfMissing: true);
        TrustTestPki(_onPremises);

        SmimeSyncResult result = Sync(cloudSource, _onPremises);

        Assert.Equal((1, 1), (result.Added, result.Failed));
        SmimeSyncItem robert = result.Items.Single(item => item.Action == SmimeSyncAction.Failed);
        Assert.Equal("robert@contoso.com", robert.Address);
        Assert.IsType<SmimeRecipientNotFoundException>(robert.Error);
        Assert.Contains("robert@contoso.com", robert.Problems[^1], StringComparison.Ordinal);
        Assert.Single(_onPremises.ReadRecipient(Contoso, "alice")!.UserCertificates);
    }

    [Fact]
    public void What_if_writes_nothing_and_reports_what_would_change()
    {
        PublishAt(_onPremises, "alice", PublishingPki.Instance.AliceSigning);

        SmimeSyncResult result = new UserCertificateSync(_onPremises, Contoso, _cloud, Contoso, Validator(_cloud), () => s_now)
            .Run(_ => true, (_, _) => false, s_context, null, default);

        Assert.Equal(1, result.Skipped);
        Assert.Null(_cloud.ReadRecipient(Contoso, "alice@contoso.com"));
    }

    [Fact]
    public void The_filter_limits_both_the_copies_and_the_removals()
    {
        PublishAt(_onPremises, "alice", PublishingPki.Instance.AliceSigning);
        PublishAt(_onPremises, "bob", PublishingPki.Instance.Bob);

        SmimeSyncResult result = new UserCertificateSync(_onPremises, Contoso, _cloud, Contoso, Validator(_cloud), () => s_now)
            .Run(address => address.StartsWith("bob", StringComparison.Ordinal), (_, _) => true, s_context, null, default);

        Assert.Equal("bob@contoso.com", Assert.Single(result.Items).Address);
        Assert.Null(_cloud.ReadRecipient(Contoso, "alice@contoso.com"));
    }

    private static SmimeSyncResult Sync(ISmimeStore source, ISmimeStore destination) =>
        new UserCertificateSync(source, Contoso, destination, Contoso, Validator(destination), () => s_now)
            .Run(_ => true, (_, _) => true, s_context, null, default);

    private static SmimeAdmin.Core.Validation.SmimeCertificateValidator Validator(ISmimeStore destination)
    {
        SmimeOrganizationConfig config = destination.ReadConfig(Contoso);
        return TestValidators.Create(
            SmimeAdmin.Core.Certificates.SmimeCertificateCollection.FromRecord(config.CertificateCollection).Certificates.Select(ca => ca.RawData),
            config.Settings);
    }

    private static void TrustTestPki(ISmimeStore store)
    {
        byte[] sst = new SstBuilder().Certificate(TestPki.Instance.Root).Certificate(TestPki.Instance.Intermediate).End().ToArray();
        SmimeCertificateCollectionRecord record = SmimeAdmin.Core.Certificates.SmimeCertificateCollection.FromFileContent(sst).ToRecord()!;
        SmimeSettingsUpdate crlOff = SmimeSettingsUpdate.Create(new[] { new KeyValuePair<string, object?>("OWADisableCRLCheck", true) });
        store.UpdateConfig(
            Contoso,
            draft => crlOff.ApplyTo(draft.Settings).Concat(new[] { draft.ReplaceCertificateCollection(record) }.OfType<SmimeSettingChange>()).ToArray(),
            s_context);
    }

    private static void PublishAt(ISmimeStore store, string identity, params byte[][] certificates) =>
        PublishAt(store, identity, certificates, createIfMissing: false);

    private static void PublishAt(ISmimeStore store, string identity, byte[] certificate, bool createIfMissing) =>
        PublishAt(store, identity, new[] { certificate }, createIfMissing);

    private static void PublishAt(ISmimeStore store, string identity, byte[][] certificates, bool createIfMissing) =>
        store.UpdateRecipient(Contoso, identity, draft => new[] { draft.SetUserCertificates(certificates) }.OfType<SmimeSettingChange>().ToArray(), s_context, createIfMissing);
}
