using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using SmimeAdmin.Core.Publishing;
using SmimeAdmin.Core.Settings;
using SmimeAdmin.Core.Store;
using SmimeAdmin.Core.Tests.Publishing;
using SmimeAdmin.Ldap;
using Xunit;

namespace SmimeAdmin.Core.Tests.DirectoryStore;

/// <summary>The directory's users as recipients: lookup, escaping, certificates, audit, errors.</summary>
public sealed class LdapSmimeStoreRecipientTests : IDisposable
{
    private const string Contoso = "Contoso";
    private static readonly SmimeAuditContext s_context = new("admin", "ws01", "Publish-UserSmimeCertificate");
    private static readonly DateTime s_now = new(2026, 5, 6, 7, 8, 9, DateTimeKind.Utc);

    private static readonly string[] s_aliceProxies = { "al@contoso.com" };
    private static readonly string[] s_robert = { "robert@contoso.com" };
    private static readonly string[] s_everyone = { "alice@contoso.com", "bob@contoso.com" };
    private static readonly string[] s_bob = { "bob" };
    private static readonly int[] s_oneCertificateTwice = { 1, 1 };

    private readonly TestDirectory _directory = new();
    private readonly string _aliceDn;

    public LdapSmimeStoreRecipientTests()
    {
        _aliceDn = _directory.AddUser("alice", "alice@contoso.com", "alice.upn@contoso.com", "SMTP:alice@contoso.com", "smtp:al@contoso.com", "X400:c=US;a= ;p=Contoso;o=Ex;s=Alice");
        _directory.AddUser("bob", "bob@contoso.com");
        _directory.AddUser("nomail");
    }

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData("alice@contoso.com")]
    [InlineData("ALICE@contoso.com")]
    [InlineData("alice")]
    [InlineData("alice.upn@contoso.com")]
    [InlineData("al@contoso.com")]
    [InlineData("smtp:al@contoso.com")]
    public void A_user_is_found_by_mail_uid_userPrincipalName_or_proxy_address(string identity)
    {
        SmimeRecipient? recipient = _directory.Connect().ReadRecipient(Contoso, identity);

        Assert.NotNull(recipient);
        Assert.Equal("alice@contoso.com", recipient.PrimarySmtpAddress);
        Assert.Equal(_aliceDn, recipient.Location);
    }

    [Fact]
    public void A_user_is_found_by_DN_and_proxy_addresses_come_from_smtp_values_only()
    {
        SmimeRecipient recipient = _directory.Connect().ReadRecipient(Contoso, _aliceDn)!;

        Assert.Equal(s_aliceProxies, recipient.ProxyAddresses);
        Assert.NotEqual(Guid.Empty, recipient.ObjectGuid);
        Assert.True(recipient.WhenCreatedUtc > new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));
    }

    [Theory]
    [InlineData("*)(uid=*")]
    [InlineData("*")]
    [InlineData("ali*")]
    [InlineData("alice)(|(mail=*")]
    [InlineData("\\2a")]
    [InlineData("uid=*,ou=people,dc=smimeadmin,dc=test")]
    [InlineData("cn=admin,dc=smimeadmin,dc=test")]
    [InlineData("nomail")]
    public void An_identity_that_tries_to_widen_the_filter_or_leave_the_base_matches_nothing(string identity)
    {
        LdapSmimeStore store = _directory.Connect();

        Assert.Null(store.ReadRecipient(Contoso, identity));
        var missing = Assert.Throws<SmimeRecipientNotFoundException>(() => Publish(store, identity, PublishingPki.Instance.Bob));
        Assert.Equal(identity.Trim(), missing.Identity);
    }

    [Fact]
    public void Publishing_writes_userCertificate_and_userSMIMECertificate_and_audits_the_change()
    {
        LdapSmimeStore store = _directory.Connect(() => s_now);
        byte[] blob = SmimeBlob(PublishingPki.Instance.AliceSigning);

        SmimeRecipientUpdateResult result = store.UpdateRecipient(
            Contoso,
            "alice",
            draft => new[] { draft.SetUserCertificates(new[] { PublishingPki.Instance.AliceSigning }), draft.SetUserSmimeCertificates(new[] { blob }) }.OfType<SmimeSettingChange>().ToArray(),
            s_context);

        Assert.Equal(2, result.Changes.Count);
        var entry = _directory.Read(_aliceDn, "userCertificate;binary", "userSMIMECertificate");
        Assert.Equal(PublishingPki.Instance.AliceSigning, (byte[])entry.Attributes["userCertificate;binary"][0]);
        Assert.Equal(blob, (byte[])entry.Attributes["userSMIMECertificate"][0]);
        SmimeRecipient stored = _directory.Connect().ReadRecipient(Contoso, "alice@contoso.com")!;
        Assert.Equal(PublishingPki.Instance.AliceSigning, Assert.Single(stored.UserCertificates));
        Assert.Equal(blob, Assert.Single(stored.UserSmimeCertificates));
        SmimeAuditRecord record = Assert.Single(store.ReadAuditLog(Contoso));
        Assert.Equal(0, record.Revision);
        Assert.Equal(s_now, record.TimeUtc);
        Assert.Equal(
            new[] { SmimeRecipientDraft.PrimarySmtpAddressName, SmimeRecipientDraft.UserCertificateName, SmimeRecipientDraft.UserSmimeCertificateName },
            record.Changes.Select(change => change.Name));
        Assert.Equal("alice@contoso.com", record.Changes[0].NewValue);
    }

    [Fact]
    public void Publishing_the_same_certificates_again_writes_and_audits_nothing()
    {
        LdapSmimeStore store = _directory.Connect();
        Publish(store, "bob", PublishingPki.Instance.Bob);

        SmimeRecipientUpdateResult again = Publish(store, "bob", PublishingPki.Instance.Bob);

        Assert.Empty(again.Changes);
        Assert.Null(again.AuditRecord);
        Assert.Single(store.ReadAuditLog(Contoso));
    }

    [Fact]
    public void Removing_a_recipient_clears_its_certificates_and_keeps_the_directory_user()
    {
        LdapSmimeStore store = _directory.Connect();
        Publish(store, "bob", PublishingPki.Instance.Bob);

        SmimeRecipientUpdateResult result = store.UpdateRecipient(Contoso, "bob@contoso.com", draft => draft.Remove(), s_context);

        Assert.Empty(result.Recipient!.UserCertificates);
        SmimeRecipient stored = store.ReadRecipient(Contoso, "bob")!;
        Assert.Empty(stored.UserCertificates);
        Assert.Equal(SmimeRecipientDraft.UserCertificateName, Assert.Single(result.Changes).Name);
    }

    [Fact]
    public void A_missing_user_is_an_error_naming_it_even_when_creating_is_asked_for()
    {
        LdapSmimeStore store = _directory.Connect();

        var missing = Assert.Throws<SmimeRecipientNotFoundException>(() => store.UpdateRecipient(
            Contoso, "carol@contoso.com", draft => new[] { draft.SetUserCertificates(new[] { PublishingPki.Instance.Bob })! }, s_context, createIfMissing: true));

        Assert.Equal("carol@contoso.com", missing.Identity);
        Assert.Contains("carol@contoso.com", missing.Message, StringComparison.Ordinal);
        Assert.Contains("never creates users", missing.Message, StringComparison.Ordinal);
        Assert.Empty(store.ReadAuditLog(Contoso));
    }

    [Fact]
    public void Proxy_addresses_belong_to_the_directory_and_are_not_changed()
    {
        LdapSmimeStore store = _directory.Connect();

        var refused = Assert.Throws<SmimeStoreException>(() => store.UpdateRecipient(
            Contoso, "bob", draft => new[] { draft.SetProxyAddresses(s_robert)! }, s_context));

        Assert.Contains("come from the directory", refused.Message, StringComparison.Ordinal);
        Assert.Empty(store.ReadRecipient(Contoso, "bob")!.ProxyAddresses);
    }

    [Fact]
    public void A_user_changed_by_another_client_between_read_and_write_is_read_again()
    {
        LdapSmimeStore store = _directory.Connect();
        int calls = 0;

        store.UpdateRecipient(
            Contoso,
            "bob",
            draft =>
            {
                if (calls++ == 0)
                {
                    _directory.Replace("uid=bob," + _directory.BaseDn, "description", "changed meanwhile");
                }

                return new[] { draft.SetUserCertificates(new[] { PublishingPki.Instance.Bob })! };
            },
            s_context);

        Assert.Equal(2, calls);
        Assert.Single(store.ReadRecipient(Contoso, "bob")!.UserCertificates);
        Assert.Single(store.ReadAuditLog(Contoso));
    }

    [Fact]
    public void A_batch_lookup_answers_each_identity_on_its_own()
    {
        string[] identities = { "alice", "ALICE@contoso.com", "smtp:al@contoso.com", "carol@contoso.com", " ", "*)(uid=*", _aliceDn, "nomail", "bob@contoso.com" };

        IReadOnlyList<SmimeBatchItem<SmimeRecipient>> found = _directory.Connect().FindRecipients(Contoso, identities);

        Assert.Equal(identities, found.Select(item => item.Identity));
        Assert.Equal(
            new[] { "alice@contoso.com", "alice@contoso.com", "alice@contoso.com", null, null, null, "alice@contoso.com", null, "bob@contoso.com" },
            found.Select(item => item.Value?.PrimarySmtpAddress));
        Assert.IsType<SmimeRecipientAddressException>(found[4].Error);
        Assert.All(found.Where((item, index) => index != 4), item => Assert.Null(item.Error));
    }

    [Fact]
    public void A_batch_lookup_of_more_identities_than_one_search_takes_finds_them_all()
    {
        string[] names = Enumerable.Range(0, LdapSmimeStore.LookupChunkSize + 7).Select(index => "user" + index.ToString("D3", System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        foreach (string name in names)
        {
            _directory.AddUser(name, name + "@contoso.com");
        }

        IReadOnlyList<SmimeBatchItem<SmimeRecipient>> found = _directory.Connect().FindRecipients(Contoso, names.Select(name => name + "@CONTOSO.com").ToArray());

        Assert.Equal(names.Select(name => name + "@contoso.com"), found.Select(item => item.Value?.PrimarySmtpAddress));
    }

    [Fact]
    public void A_batch_writes_each_change_with_its_own_record_in_one_audit_entry()
    {
        LdapSmimeStore store = _directory.Connect(() => s_now);

        IReadOnlyList<SmimeBatchItem<SmimeRecipientUpdateResult>> written = store.UpdateRecipients(
            Contoso,
            new[] { PublishChange("alice", PublishingPki.Instance.AliceSigning), PublishChange("bob@contoso.com", PublishingPki.Instance.Bob) },
            s_context);

        Assert.All(written, item => Assert.NotNull(item.Value?.AuditRecord));
        Assert.Equal(PublishingPki.Instance.AliceSigning, Assert.Single(store.ReadRecipient(Contoso, "alice")!.UserCertificates));
        Assert.Equal(PublishingPki.Instance.Bob, Assert.Single(store.ReadRecipient(Contoso, "bob")!.UserCertificates));
        Assert.Equal(s_everyone, store.ReadAuditLog(Contoso).Select(record => record.Changes[0].NewValue));
        Assert.Single(_directory.Children("cn=" + Contoso + ",ou=SmimeAdmin," + _directory.BaseDn));
    }

    [Fact]
    public void Two_changes_of_one_user_in_a_batch_are_applied_in_their_order()
    {
        LdapSmimeStore store = _directory.Connect();
        var append = new SmimeRecipientChange(
            "bob@contoso.com",
            draft => new[] { draft.SetUserCertificates(draft.UserCertificates.Append(PublishingPki.Instance.AliceSigning)) }.OfType<SmimeSettingChange>().ToArray());

        IReadOnlyList<SmimeBatchItem<SmimeRecipientUpdateResult>> written = store.UpdateRecipients(Contoso, new[] { PublishChange("bob", PublishingPki.Instance.Bob), append }, s_context);

        Assert.All(written, item => Assert.NotNull(item.Value?.AuditRecord));
        Assert.Equal(new[] { PublishingPki.Instance.Bob, PublishingPki.Instance.AliceSigning }, store.ReadRecipient(Contoso, "bob")!.UserCertificates);
        Assert.Equal(2, store.ReadAuditLog(Contoso).Count);
    }

    [Fact]
    public void A_change_that_fails_in_a_batch_stops_no_other_and_leaves_no_record()
    {
        LdapSmimeStore store = _directory.Connect();
        var proxies = new SmimeRecipientChange("alice", draft => new[] { draft.SetProxyAddresses(s_robert)! });

        IReadOnlyList<SmimeBatchItem<SmimeRecipientUpdateResult>> written = store.UpdateRecipients(
            Contoso,
            new[] { PublishChange("carol@contoso.com", PublishingPki.Instance.Bob), proxies, PublishChange("bob", PublishingPki.Instance.Bob) },
            s_context);

        Assert.IsType<SmimeRecipientNotFoundException>(written[0].Error);
        Assert.IsType<SmimeStoreException>(written[1].Error);
        Assert.NotNull(written[2].Value?.AuditRecord);
        Assert.Equal("bob@contoso.com", Assert.Single(store.ReadAuditLog(Contoso)).Changes[0].NewValue);
    }

    [Fact]
    public void A_user_changed_since_the_batch_read_it_is_read_again_and_the_change_applied_to_what_it_is_now()
    {
        LdapSmimeStore store = _directory.Connect();
        Publish(store, "bob", PublishingPki.Instance.Bob);
        SmimeRecipient lastRead = store.FindRecipients(Contoso, s_bob)[0].Value!;
        _directory.Replace("uid=bob," + _directory.BaseDn, "userCertificate;binary", PublishingPki.Instance.AliceSigning);
        var seen = new List<int>();
        var append = new SmimeRecipientChange(
            "bob",
            draft =>
            {
                seen.Add(draft.UserCertificates.Count);
                return new[] { draft.SetUserCertificates(draft.UserCertificates.Append(PublishingPki.Instance.AliceEncryption)) }.OfType<SmimeSettingChange>().ToArray();
            },
            lastRead: lastRead);

        SmimeBatchItem<SmimeRecipientUpdateResult> written = Assert.Single(store.UpdateRecipients(Contoso, new[] { append }, s_context));

        Assert.Null(written.Error);
        Assert.Equal(s_oneCertificateTwice, seen);
        Assert.Equal(new[] { PublishingPki.Instance.AliceSigning, PublishingPki.Instance.AliceEncryption }, store.ReadRecipient(Contoso, "bob")!.UserCertificates);
        Assert.Equal(2, store.ReadAuditLog(Contoso).Count);
    }

    [Fact]
    public void A_batch_over_several_connections_writes_each_change_and_reads_again_the_users_changed_meanwhile()
    {
        string[] names = Enumerable.Range(0, (DirectoryConnection.WriteConnections * 10) + 5)
            .Select(index => "many" + index.ToString("D3", System.Globalization.CultureInfo.InvariantCulture))
            .ToArray();
        foreach (string name in names)
        {
            _directory.AddUser(name, name + "@contoso.com");
        }

        LdapSmimeStore store = _directory.Connect();
        IReadOnlyList<SmimeBatchItem<SmimeRecipient>> read = store.FindRecipients(Contoso, names);
        // Changed by another client after the read: their guarded modifies fail among the others, and they are read
        // again and written in a later round.
        string[] changedMeanwhile = { names[3], names[12], names[names.Length - 1] };
        foreach (string name in changedMeanwhile)
        {
            _directory.Replace("uid=" + name + "," + _directory.BaseDn, "userCertificate;binary", PublishingPki.Instance.AliceSigning);
        }

        SmimeRecipientChange[] appends = names.Select((name, index) => new SmimeRecipientChange(
            name,
            draft => new[] { draft.SetUserCertificates(draft.UserCertificates.Append(PublishingPki.Instance.Bob)) }.OfType<SmimeSettingChange>().ToArray(),
            lastRead: read[index].Value)).ToArray();

        IReadOnlyList<SmimeBatchItem<SmimeRecipientUpdateResult>> written = store.UpdateRecipients(Contoso, appends, s_context);

        Assert.All(written, item => Assert.NotNull(item.Value?.AuditRecord));
        foreach (string name in names)
        {
            byte[][] expected = changedMeanwhile.Contains(name)
                ? new[] { PublishingPki.Instance.AliceSigning, PublishingPki.Instance.Bob }
                : new[] { PublishingPki.Instance.Bob };
            Assert.Equal(expected, store.ReadRecipient(Contoso, name)!.UserCertificates);
        }
    }

    [Fact]
    public void Recipients_are_the_users_with_mail_ordered_by_address()
    {
        IReadOnlyList<SmimeRecipient> recipients = _directory.Connect().ReadRecipients(Contoso);

        Assert.Equal(s_everyone, recipients.Select(recipient => recipient.PrimarySmtpAddress));
    }

    [Fact]
    public void A_wrong_password_is_refused_at_connect_without_naming_the_password()
    {
        LdapStoreOptions options = _directory.Options();
        options.Credential = new NetworkCredential(_directory.Credential.UserName, "wrong-password-123");

        var denied = Assert.Throws<SmimeStoreAccessDeniedException>(() => LdapSmimeStore.Connect(options));

        Assert.Contains("invalidCredentials", denied.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password-123", denied.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_base_DN_is_reported_by_name_at_connect()
    {
        string baseDn = "ou=nowhere," + _directory.ServerBaseDn;

        var missing = Assert.Throws<SmimeStoreException>(() => LdapSmimeStore.Connect(_directory.Options(baseDn)));

        Assert.Equal(baseDn, missing.Path);
        Assert.Contains("does not exist", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_server_that_does_not_answer_is_reported_at_connect()
    {
        // Port 9 (discard) on loopback: nothing listens there in the test environment.
        var options = new LdapStoreOptions(new Uri("ldap://127.0.0.1:9"), _directory.BaseDn) { Credential = _directory.Credential, Timeout = TimeSpan.FromSeconds(5) };

        var down = Assert.Throws<SmimeStoreException>(() => LdapSmimeStore.Connect(options));

        Assert.Contains("cannot be reached", down.Message, StringComparison.Ordinal);
        Assert.Equal("ldap://127.0.0.1:9", down.Path);
    }

    private static SmimeRecipientUpdateResult Publish(LdapSmimeStore store, string identity, byte[] certificate) =>
        store.UpdateRecipient(Contoso, identity, draft => new[] { draft.SetUserCertificates(new[] { certificate }) }.OfType<SmimeSettingChange>().ToArray(), s_context);

    private static SmimeRecipientChange PublishChange(string identity, byte[] certificate) =>
        new(identity, draft => new[] { draft.SetUserCertificates(new[] { certificate }) }.OfType<SmimeSettingChange>().ToArray());

    private static byte[] SmimeBlob(byte[] certificate) =>
        UserSmimeCertificateBuilder.Build(new[] { certificate }, Array.Empty<byte[]>(), new SmimeSettings(), null, s_now);
}
