using System;
using System.Collections.Generic;
using System.Linq;
using SmimeAdmin.Core.Publishing;
using SmimeAdmin.Core.Settings;
using SmimeAdmin.Core.Store;
using SmimeAdmin.Core.Tests.Certificates;
using SmimeAdmin.Core.Tests.Publishing;
using SmimeAdmin.Ldap;
using Xunit;

namespace SmimeAdmin.Core.Tests.DirectoryStore;

/// <summary>The directory store against a real slapd: settings, collection, audit log, concurrency.</summary>
public sealed class LdapSmimeStoreTests : IDisposable
{
    private const string Contoso = "Contoso";
    private static readonly SmimeAuditContext s_context = new("admin", "ws01", "Set-SmimeConfig");
    private static readonly DateTime s_now = new(2026, 5, 6, 7, 8, 9, DateTimeKind.Utc);

    private readonly TestDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void An_organization_never_configured_reads_as_Exchange_defaults_and_is_not_listed()
    {
        LdapSmimeStore store = _directory.Connect();

        SmimeOrganizationConfig config = store.ReadConfig(Contoso);

        Assert.True(config.IsNew);
        Assert.Equal(0, config.Revision);
        Assert.Equal(new SmimeSettings().OWADLExpansionTimeout, config.Settings.OWADLExpansionTimeout);
        Assert.Empty(store.GetOrganizations());
        Assert.Equal("cn=Contoso,ou=SmimeAdmin," + _directory.BaseDn, config.Location);
    }

    [Fact]
    public void A_change_is_stored_in_the_organization_entry_and_audited_as_a_child_entry()
    {
        LdapSmimeStore store = _directory.Connect(() => s_now);

        SmimeConfigUpdateResult result = SetAlwaysSign(store, true);

        Assert.Single(result.Changes);
        SmimeOrganizationConfig config = _directory.Connect().ReadConfig("contoso");
        Assert.True(config.Settings.OWAAlwaysSign);
        Assert.Equal(1, config.Revision);
        Assert.Equal(s_now, config.WhenCreatedUtc);
        Assert.NotEqual(Guid.Empty, config.ObjectGuid);
        Assert.Equal(new[] { Contoso }, store.GetOrganizations());
        SmimeAuditRecord record = Assert.Single(store.ReadAuditLog(Contoso));
        Assert.Equal(1, record.Revision);
        Assert.Equal("admin", record.Context.User);
        Assert.Equal("OWAAlwaysSign", record.Changes[0].Name);
        Assert.Equal("True", record.Changes[0].NewValue);
        var entry = _directory.Read("cn=r000000000001,cn=Contoso,ou=SmimeAdmin," + _directory.BaseDn, "description");
        Assert.Contains("\"OWAAlwaysSign\"", (string)entry.Attributes["description"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void A_change_that_changes_nothing_creates_nothing()
    {
        LdapSmimeStore store = _directory.Connect();

        SmimeConfigUpdateResult result = SetAlwaysSign(store, false);

        Assert.Empty(result.Changes);
        Assert.Empty(store.GetOrganizations());
        Assert.Empty(store.ReadAuditLog(Contoso));
    }

    [Fact]
    public void The_certificate_collection_is_kept_byte_for_byte_in_the_entry()
    {
        LdapSmimeStore store = _directory.Connect();
        byte[] sst = new SstBuilder().Certificate(TestPki.Instance.Root).Certificate(TestPki.Instance.Intermediate).End().ToArray();
        var collection = new SmimeCertificateCollectionRecord(sst, new List<string> { "AA01", "AA02" }, s_now, "AA01");

        store.UpdateConfig(Contoso, draft => new List<SmimeSettingChange> { draft.ReplaceCertificateCollection(collection)! }, s_context);

        SmimeCertificateCollectionRecord stored = _directory.Connect().ReadConfig(Contoso).CertificateCollection!;
        Assert.Equal(sst, stored.GetSerializedStore());
        Assert.Equal(collection.Thumbprints, stored.Thumbprints);
        Assert.Equal(s_now, stored.ExpiryDateUtc);
    }

    [Fact]
    public void Revisions_count_up_and_the_log_reads_oldest_first()
    {
        LdapSmimeStore store = _directory.Connect();
        SetAlwaysSign(store, true);
        SetAlwaysSign(store, false);
        SetAlwaysSign(store, true);

        Assert.Equal(new long[] { 1, 2, 3 }, store.ReadAuditLog(Contoso).Select(record => record.Revision));
        Assert.Equal(3, store.ReadConfig(Contoso).Revision);
    }

    [Fact]
    public void A_writer_that_loses_the_race_applies_its_change_again_on_the_new_state()
    {
        LdapSmimeStore first = _directory.Connect();
        LdapSmimeStore second = _directory.Connect();
        SetAlwaysSign(first, true);
        int calls = 0;

        second.UpdateConfig(
            Contoso,
            draft =>
            {
                if (calls++ == 0)
                {
                    // Another administrator saves between this writer's read and its write.
                    Set(first, ("OWAEncryptionAlgorithms", "660E"));
                }

                return Update(("OWAAlwaysEncrypt", true)).ApplyTo(draft.Settings);
            },
            s_context);

        SmimeOrganizationConfig config = first.ReadConfig(Contoso);
        Assert.Equal(2, calls);
        Assert.True(config.Settings.OWAAlwaysEncrypt);
        Assert.Equal("660E", config.Settings.OWAEncryptionAlgorithms);
        Assert.True(config.Settings.OWAAlwaysSign);
        Assert.Equal(new long[] { 1, 2, 3 }, first.ReadAuditLog(Contoso).Select(record => record.Revision));
    }

    [Fact]
    public void A_writer_that_always_loses_reports_a_conflict_that_says_to_read_again_and_writes_nothing()
    {
        LdapSmimeStore first = _directory.Connect();
        LdapSmimeStore second = _directory.Connect();
        SetAlwaysSign(first, true);
        bool flag = true;

        var conflict = Assert.Throws<SmimeStoreConflictException>(() => second.UpdateConfig(
            Contoso,
            draft =>
            {
                flag = !flag;
                SetAlwaysSign(first, flag);
                return Update(("OWAAlwaysEncrypt", true)).ApplyTo(draft.Settings);
            },
            s_context));

        Assert.Equal(LdapSmimeStore.MaximumAttempts, conflict.Attempts);
        Assert.Contains("read it again", conflict.Message, StringComparison.Ordinal);
        Assert.False(first.ReadConfig(Contoso).Settings.OWAAlwaysEncrypt);
    }

    [Fact]
    public void An_audit_record_left_out_by_a_stopped_writer_is_read_from_the_configuration_and_added_by_the_next()
    {
        LdapSmimeStore store = _directory.Connect();
        SetAlwaysSign(store, true);
        SetAlwaysSign(store, false);
        string organizationDn = "cn=Contoso,ou=SmimeAdmin," + _directory.BaseDn;
        DeleteEntry("cn=r000000000002," + organizationDn);

        Assert.Equal(new long[] { 1, 2 }, store.ReadAuditLog(Contoso).Select(record => record.Revision));
        SetAlwaysSign(store, true);
        Assert.Equal(new long[] { 1, 2, 3 }, store.ReadAuditLog(Contoso).Select(record => record.Revision));
        Assert.Equal("r000000000002", (string)_directory.Read("cn=r000000000002," + organizationDn, "cn").Attributes["cn"][0]);
    }

    private void DeleteEntry(string dn)
    {
        using var admin = new System.DirectoryServices.Protocols.LdapConnection(
            new System.DirectoryServices.Protocols.LdapDirectoryIdentifier(_directory.Uri.Host, _directory.Uri.Port), _directory.Credential, System.DirectoryServices.Protocols.AuthType.Basic);
        admin.SessionOptions.ProtocolVersion = 3;
        admin.SendRequest(new System.DirectoryServices.Protocols.DeleteRequest(dn));
    }

    private static SmimeConfigUpdateResult SetAlwaysSign(ISmimeStore store, bool value) => Set(store, ("OWAAlwaysSign", value));

    private static SmimeConfigUpdateResult Set(ISmimeStore store, params (string Name, object? Value)[] values)
    {
        SmimeSettingsUpdate update = Update(values);
        return store.UpdateConfig(Contoso, draft => update.ApplyTo(draft.Settings), s_context);
    }

    private static SmimeSettingsUpdate Update(params (string Name, object? Value)[] values) =>
        SmimeSettingsUpdate.Create(values.Select(value => new KeyValuePair<string, object?>(value.Name, value.Value)));
}
