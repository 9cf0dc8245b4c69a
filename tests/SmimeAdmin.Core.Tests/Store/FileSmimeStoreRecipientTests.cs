using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using SmimeAdmin.Core.Certificates;
using SmimeAdmin.Core.Settings;
using SmimeAdmin.Core.Store;
using SmimeAdmin.Core.Tests.Publishing;
using Xunit;

namespace SmimeAdmin.Core.Tests.Store;

public sealed class FileSmimeStoreRecipientTests : IDisposable
{
    private const string Contoso = "Contoso";
    private const string Alice = "Alice@Contoso.com";
    private const string AliceProxy = "a.smith@contoso.com";
    private const string Bob = "bob@contoso.com";
    private static readonly DateTime s_created = new(2026, 11, 28, 9, 0, 0, DateTimeKind.Utc);
    private static readonly SmimeAuditContext s_context = new(@"CONTOSO\admin", "ws01", "Publish-SmimeUserCertificate");

    private readonly TempFolder _folder = new();
    private DateTime _now = s_created;

    private static PublishingPki Users => PublishingPki.Instance;

    private string OrganizationFolder => _folder.Combine("organizations", Contoso);

    private string PendingChangePath => Path.Combine(OrganizationFolder, "recipient-change.json");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_recipient_is_created_read_updated_and_removed()
    {
        FileSmimeStore store = OpenStore();

        SmimeRecipientUpdateResult created = Set(store, Alice, new[] { Users.AliceSigning }, AliceProxy);
        _now = s_created.AddHours(1);
        SmimeRecipient read = store.ReadRecipient(Contoso, Alice)!;

        Assert.Equal(Alice, read.PrimarySmtpAddress);
        Assert.Equal(new[] { AliceProxy }, read.ProxyAddresses);
        Assert.Equal(new[] { Users.AliceSigning }, read.UserCertificates);
        Assert.Empty(read.UserSmimeCertificates);
        Assert.Equal(created.Recipient!.ObjectGuid, read.ObjectGuid);
        Assert.NotEqual(Guid.Empty, read.ObjectGuid);
        Assert.Equal(s_created, read.WhenCreatedUtc);
        Assert.Equal(Contoso, read.Organization);
        Assert.Equal(_folder.Combine("organizations", Contoso, "recipients", "alice@contoso.com.json"), read.Location);

        Set(store, Alice, new[] { Users.AliceSigning, Users.AliceEncryption }, AliceProxy);
        SmimeRecipient updated = store.ReadRecipient(Contoso, Alice)!;
        Assert.Equal(2, updated.UserCertificates.Count);
        Assert.Equal(s_created, updated.WhenCreatedUtc);
        Assert.Equal(_now, updated.WhenChangedUtc);
        Assert.Equal(read.ObjectGuid, updated.ObjectGuid);

        SmimeRecipientUpdateResult removed = store.UpdateRecipient(Contoso, Alice, draft => draft.Remove(), s_context);
        Assert.Null(removed.Recipient);
        Assert.Null(store.ReadRecipient(Contoso, Alice));
        Assert.Null(store.ReadRecipient(Contoso, AliceProxy));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(OrganizationFolder, "recipients")));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(OrganizationFolder, "proxies")));
    }

    [Fact]
    public void A_proxy_address_finds_and_updates_its_recipient_until_it_is_dropped()
    {
        FileSmimeStore store = OpenStore();
        Set(store, Alice, new[] { Users.AliceSigning }, AliceProxy);

        Assert.Equal(Alice, store.ReadRecipient(Contoso, "SMTP:A.Smith@CONTOSO.com")!.PrimarySmtpAddress);
        Set(store, "a.smith@contoso.com", new[] { Users.AliceEncryption }, AliceProxy);
        Assert.Equal(new[] { Users.AliceEncryption }, store.ReadRecipient(Contoso, Alice)!.UserCertificates);
        Assert.Single(Directory.EnumerateFiles(Path.Combine(OrganizationFolder, "recipients")));

        Set(store, Alice, new[] { Users.AliceEncryption });
        Assert.Null(store.ReadRecipient(Contoso, AliceProxy));
        Assert.False(File.Exists(Path.Combine(OrganizationFolder, "proxies", "a.smith@contoso.com.json")));
    }

    [Fact]
    public void Addresses_match_without_regard_to_case_and_the_first_spelling_is_kept()
    {
        FileSmimeStore store = OpenStore();
        Set(store, Alice, new[] { Users.AliceSigning });

        SmimeRecipientUpdateResult result = Set(store, "ALICE@contoso.COM", new[] { Users.AliceEncryption });

        Assert.Equal(Alice, result.Recipient!.PrimarySmtpAddress);
        Assert.Equal(Alice, store.ReadRecipient(Contoso, "alice@contoso.com")!.PrimarySmtpAddress);
        Assert.Equal("alice@contoso.com.json", Path.GetFileName(Assert.Single(Directory.EnumerateFiles(Path.Combine(OrganizationFolder, "recipients")))));
    }

    [Theory]
    [InlineData("../alice@contoso.com")]
    [InlineData("alice@contoso.com/../../x")]
    [InlineData("alice")]
    [InlineData("")]
    public void An_invalid_address_is_refused_before_anything_is_read_or_written(string identity)
    {
        FileSmimeStore store = OpenStore();
        bool called = false;

        Assert.Throws<SmimeRecipientAddressException>(() => store.ReadRecipient(Contoso, identity));
        Assert.Throws<SmimeRecipientAddressException>(() => store.UpdateRecipient(
            Contoso,
            identity,
            draft =>
            {
                called = true;
                return new[] { draft.SetUserCertificates(new[] { Users.AliceSigning })! };
            },
            s_context,
            createIfMissing: true));

        Assert.False(called);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder.Path));
    }

    [Fact]
    public void A_change_that_changes_nothing_writes_nothing_and_audits_nothing()
    {
        FileSmimeStore store = OpenStore();
        SmimeRecipientUpdateResult missing = Set(store, Alice, Array.Empty<byte[]>());
        Assert.Null(missing.Recipient);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder.Path));

        Set(store, Alice, new[] { Users.AliceSigning, Users.AliceEncryption }, AliceProxy);
        Dictionary<string, byte[]> before = Snapshot();
        _now = s_created.AddDays(1);

        SmimeRecipientUpdateResult result = Set(store, AliceProxy, new[] { Users.AliceEncryption, Users.AliceSigning }, AliceProxy);

        Assert.Empty(result.Changes);
        Assert.Null(result.AuditRecord);
        Assert.Equal(s_created, result.Recipient!.WhenChangedUtc);
        Assert.Equal(before.Keys.OrderBy(key => key), Snapshot().Keys.OrderBy(key => key));
        Assert.All(Snapshot(), file => Assert.Equal(before[file.Key], file.Value));
        Assert.Single(store.ReadAuditLog(Contoso));
    }

    [Fact]
    public void Certificate_changes_are_audited_with_the_recipient_and_the_thumbprints()
    {
        FileSmimeStore store = OpenStore();
        Set(store, Alice, new[] { Users.AliceSigning });
        SetConfig(store, "OWAAlwaysSign");
        Set(store, Alice, new[] { Users.AliceEncryption });
        store.UpdateRecipient(Contoso, Alice, draft => draft.Remove(), s_context);

        IReadOnlyList<SmimeAuditRecord> log = store.ReadAuditLog(Contoso);

        Assert.Equal(new long[] { 0, 1, 1, 1 }, log.Select(record => record.Revision));
        Assert.Equal(new[] { ("PrimarySmtpAddress", string.Empty, Alice), ("userCertificate", string.Empty, Thumbprint(Users.AliceSigning)) }, Changes(log[0]));
        Assert.Equal(new[] { ("PrimarySmtpAddress", Alice, Alice), ("userCertificate", Thumbprint(Users.AliceSigning), Thumbprint(Users.AliceEncryption)) }, Changes(log[2]));
        Assert.Equal(new[] { ("PrimarySmtpAddress", Alice, string.Empty), ("userCertificate", Thumbprint(Users.AliceEncryption), string.Empty) }, Changes(log[3]));
        Assert.Equal("Publish-SmimeUserCertificate", log[3].Context.Command);
        Assert.Equal(Contoso, log[3].Organization);
    }

    [Fact]
    public void A_missing_recipient_is_not_found_unless_it_may_be_created()
    {
        FileSmimeStore store = OpenStore();

        SmimeRecipientNotFoundException error = Assert.Throws<SmimeRecipientNotFoundException>(() =>
            store.UpdateRecipient(Contoso, Bob, draft => draft.Remove(), s_context));
        Set(store, Alice, new[] { Users.AliceSigning });
        Assert.Throws<SmimeRecipientNotFoundException>(() => store.UpdateRecipient(Contoso, Bob, draft => draft.Remove(), s_context));

        Assert.Equal(Bob, error.Identity);
        Assert.Equal(Contoso, error.Organization);
        Assert.Null(store.ReadRecipient("Fabrikam", Bob));
        Assert.Empty(store.ReadRecipients("Fabrikam"));
    }

    [Theory]
    [InlineData("alice@contoso.com")]
    [InlineData("A.Smith@contoso.com")]
    public void An_address_of_another_recipient_cannot_be_added(string taken)
    {
        FileSmimeStore store = OpenStore();
        Set(store, Alice, new[] { Users.AliceSigning }, AliceProxy);
        Set(store, Bob, new[] { Users.Bob });
        Dictionary<string, byte[]> before = Snapshot();

        SmimeRecipientAddressInUseException error = Assert.Throws<SmimeRecipientAddressInUseException>(() =>
            Set(store, Bob, new[] { Users.Bob }, taken));

        Assert.Equal(Alice, error.Owner);
        Assert.Equal(taken, error.Address);
        Assert.All(Snapshot(), file => Assert.Equal(before[file.Key], file.Value));
    }

    [Fact]
    public void A_link_left_by_a_killed_writer_finds_nothing_and_does_not_block_the_address()
    {
        FileSmimeStore store = OpenStore();
        Set(store, Alice, new[] { Users.AliceSigning });
        Directory.CreateDirectory(Path.Combine(OrganizationFolder, "proxies"));
        File.WriteAllBytes(Path.Combine(OrganizationFolder, "proxies", "x@contoso.com.json"), ProxyAddressFile.Serialize("x@contoso.com", Alice));

        Assert.Null(store.ReadRecipient(Contoso, "x@contoso.com"));
        Set(store, Bob, new[] { Users.Bob }, "x@contoso.com");
        Assert.Equal(Bob, store.ReadRecipient(Contoso, "x@contoso.com")!.PrimarySmtpAddress);
    }

    [Fact]
    public void Lookups_and_updates_open_only_their_own_recipients_files()
    {
        FileSmimeStore store = OpenStore();
        Set(store, Alice, new[] { Users.AliceSigning }, AliceProxy);
        Set(store, Bob, new[] { Users.Bob });
        File.WriteAllText(Path.Combine(OrganizationFolder, "recipients", "bob@contoso.com.json"), "damaged");

        Set(store, AliceProxy, new[] { Users.AliceEncryption }, AliceProxy, "alice@fabrikam.com");
        Set(store, "carol@contoso.com", new[] { Users.AliceSigning });

        Assert.Equal(new[] { Users.AliceEncryption }, store.ReadRecipient(Contoso, "alice@fabrikam.com")!.UserCertificates);
        Assert.Throws<SmimeStoreCorruptException>(() => store.ReadRecipient(Contoso, Bob));
        Assert.Throws<SmimeStoreCorruptException>(() => store.ReadRecipients(Contoso).ToList());
    }

    [Fact]
    public void All_recipients_are_listed_in_address_order_and_read_as_they_are_reached()
    {
        FileSmimeStore store = OpenStore();
        foreach (string address in new[] { "carol@contoso.com", Bob, Alice })
        {
            Set(store, address, new[] { Users.AliceSigning });
        }

        IReadOnlyList<SmimeRecipient> recipients = store.ReadRecipients(Contoso);
        store.UpdateRecipient(Contoso, Bob, draft => draft.Remove(), s_context);
        Set(store, "carol@contoso.com", new[] { Users.Bob });

        Assert.Equal(3, recipients.Count);
        Assert.Equal(new[] { Alice, "carol@contoso.com" }, recipients.Select(recipient => recipient.PrimarySmtpAddress));
        Assert.Equal(new[] { Users.Bob }, recipients[2].UserCertificates);
        Assert.Equal(Bob, Assert.Throws<SmimeRecipientNotFoundException>(() => recipients[1]).Identity);
    }

    [Fact]
    public void A_recipient_file_under_another_name_is_corrupt()
    {
        FileSmimeStore store = OpenStore();
        Set(store, Alice, new[] { Users.AliceSigning });
        string recipients = Path.Combine(OrganizationFolder, "recipients");
        File.Copy(Path.Combine(recipients, "alice@contoso.com.json"), Path.Combine(recipients, "carol@contoso.com.json"));

        SmimeStoreCorruptException error = Assert.Throws<SmimeStoreCorruptException>(() => store.ReadRecipient(Contoso, "carol@contoso.com"));

        Assert.Equal(Path.Combine(recipients, "carol@contoso.com.json"), error.Path);
    }

    [Fact]
    public void A_committed_change_whose_record_a_killed_writer_did_not_append_is_read_and_then_appended()
    {
        FileSmimeStore store = OpenStore();
        Set(store, Alice, new[] { Users.AliceSigning });
        SmimeAuditRecord lost = LeavePendingChange(Alice, new[] { Users.AliceEncryption }, committed: true);

        IReadOnlyList<SmimeAuditRecord> read = store.ReadAuditLog(Contoso);
        Set(store, Bob, new[] { Users.Bob });

        Assert.Equal(2, read.Count);
        Assert.Equal(Changes(lost), Changes(read[1]));
        IReadOnlyList<SmimeAuditRecord> log = store.ReadAuditLog(Contoso);
        Assert.Equal(3, log.Count);
        Assert.Equal(Changes(lost), Changes(log[1]));
        Assert.Equal(Bob, log[2].Changes[0].NewValue);
        Assert.False(File.Exists(PendingChangePath));
    }

    [Fact]
    public void A_change_a_killed_writer_did_not_commit_leaves_no_record_and_no_temporary_file()
    {
        FileSmimeStore store = OpenStore();
        Set(store, Alice, new[] { Users.AliceSigning });
        LeavePendingChange(Alice, new[] { Users.AliceEncryption }, committed: false);

        Set(store, Bob, new[] { Users.Bob });

        Assert.Equal(new[] { Users.AliceSigning }, store.ReadRecipient(Contoso, Alice)!.UserCertificates);
        Assert.Equal(new[] { Alice, Bob }, store.ReadAuditLog(Contoso).Select(record => (string)record.Changes[0].NewValue!));
        Assert.Equal(
            "alice@contoso.com.json, bob@contoso.com.json",
            string.Join(", ", Directory.EnumerateFileSystemEntries(Path.Combine(OrganizationFolder, "recipients")).Select(Path.GetFileName).OrderBy(name => name, StringComparer.Ordinal)));
        Assert.False(File.Exists(PendingChangePath));
    }

    [Fact]
    public void A_pending_change_file_cut_short_by_a_kill_is_dropped_with_the_temporary_files()
    {
        FileSmimeStore store = OpenStore();
        Set(store, Alice, new[] { Users.AliceSigning });
        string leftover = Path.Combine(OrganizationFolder, "recipients", "alice@contoso.com.json.0123456789abcdef0123456789abcdef.tmp");
        File.WriteAllText(PendingChangePath, "{\"format\":\"SmimeAdmin.RecipientChange\",\"schemaVer");
        File.WriteAllText(leftover, "half");

        Assert.Single(store.ReadAuditLog(Contoso));
        Set(store, Bob, new[] { Users.Bob });

        Assert.False(File.Exists(PendingChangePath));
        Assert.False(File.Exists(leftover));
        Assert.Equal(2, store.ReadAuditLog(Contoso).Count);
    }

    [Fact]
    public void A_record_already_appended_is_not_appended_again()
    {
        FileSmimeStore store = OpenStore();
        Set(store, Alice, new[] { Users.AliceSigning });
        Set(store, Alice, new[] { Users.AliceEncryption });
        SmimeAuditRecord last = store.ReadAuditLog(Contoso)[1];
        string recipientPath = Path.Combine(OrganizationFolder, "recipients", "alice@contoso.com.json");
        RecipientFile.Deserialize(File.ReadAllBytes(recipientPath), recipientPath, Contoso, out Guid changeId);
        File.WriteAllBytes(PendingChangePath, RecipientChangeFile.Serialize(new PendingRecipientChange("alice@contoso.com.json", changeId, false, last)));

        Assert.Equal(2, store.ReadAuditLog(Contoso).Count);
        Set(store, Bob, new[] { Users.Bob });

        Assert.Equal(3, store.ReadAuditLog(Contoso).Count);
    }

    [Fact]
    public void A_configuration_change_appends_a_left_recipient_record_before_its_own()
    {
        FileSmimeStore store = OpenStore();
        Set(store, Alice, new[] { Users.AliceSigning });
        LeavePendingChange(Alice, new[] { Users.AliceEncryption }, committed: true);

        SetConfig(store, "OWAAlwaysSign");

        IReadOnlyList<SmimeAuditRecord> log = store.ReadAuditLog(Contoso);
        Assert.Equal("PrimarySmtpAddress, PrimarySmtpAddress, OWAAlwaysSign", string.Join(", ", log.Select(record => record.Changes[0].Name)));
        Assert.Equal(new long[] { 0, 0, 1 }, log.Select(record => record.Revision));
        Assert.False(File.Exists(PendingChangePath));
    }

    [Fact]
    public void A_recipient_change_appends_the_configuration_record_a_killed_writer_left_out()
    {
        FileSmimeStore store = OpenStore();
        SetConfig(store, "OWAAlwaysSign");
        File.WriteAllBytes(Path.Combine(OrganizationFolder, "audit.jsonl"), Array.Empty<byte>());

        Set(store, Alice, new[] { Users.AliceSigning });
        SetConfig(store, "OWAAlwaysEncrypt");

        IReadOnlyList<SmimeAuditRecord> log = store.ReadAuditLog(Contoso);
        Assert.Equal("OWAAlwaysSign, PrimarySmtpAddress, OWAAlwaysEncrypt", string.Join(", ", log.Select(record => record.Changes[0].Name)));
        Assert.Equal(new long[] { 1, 1, 2 }, log.Select(record => record.Revision));
    }

    [Theory]
    [InlineData(false, "PrimarySmtpAddress", 1)]
    [InlineData(true, "OWAAlwaysEncrypt", 2)]
    public void Records_left_out_by_a_killed_configuration_writer_and_a_killed_recipient_writer_are_appended_once_each_in_order(
        bool configurationWriterNext, string nextChange, long nextRevision)
    {
        FileSmimeStore store = OpenStore();
        Set(store, Alice, new[] { Users.AliceSigning });
        SetConfig(store, "OWAAlwaysSign");
        string auditPath = Path.Combine(OrganizationFolder, "audit.jsonl");
        File.WriteAllLines(auditPath, File.ReadAllLines(auditPath).Take(1));
        LeavePendingChange(Alice, new[] { Users.AliceEncryption }, committed: true, revision: 1);

        if (configurationWriterNext)
        {
            SetConfig(store, "OWAAlwaysEncrypt");
        }
        else
        {
            Set(store, Bob, new[] { Users.Bob });
        }

        IReadOnlyList<SmimeAuditRecord> log = store.ReadAuditLog(Contoso);
        Assert.Equal(
            "PrimarySmtpAddress, OWAAlwaysSign, PrimarySmtpAddress, " + nextChange,
            string.Join(", ", log.Select(record => record.Changes[0].Name)));
        Assert.Equal(new long[] { 0, 1, 1, nextRevision }, log.Select(record => record.Revision));
    }

    [Fact]
    public void Concurrent_writers_of_different_recipients_lose_nothing()
    {
        FileSmimeStore store = OpenStore();

        Parallel.For(0, 40, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            Set(store, "user" + i + "@contoso.com", new[] { i % 2 == 0 ? Users.AliceSigning : Users.Bob }, "alias" + i + "@contoso.com"));

        Assert.Equal(40, store.ReadRecipients(Contoso).Count);
        Assert.Equal(40, store.ReadAuditLog(Contoso).Count);
        Assert.All(Enumerable.Range(0, 40), i => Assert.Equal("user" + i + "@contoso.com", store.ReadRecipient(Contoso, "alias" + i + "@contoso.com")!.PrimarySmtpAddress));
    }

    private static string Thumbprint(byte[] certificate) => SmimeCaCertificate.Parse(certificate).Thumbprint;

    private static (string Name, string Old, string New)[] Changes(SmimeAuditRecord record) =>
        record.Changes.Select(change => (change.Name, SmimeSetting.FormatValue(change.OldValue), SmimeSetting.FormatValue(change.NewValue))).ToArray();

    private FileSmimeStore OpenStore() => new(_folder.Path, new FileSmimeStoreOptions { UtcNow = () => _now });

    private static SmimeRecipientUpdateResult Set(FileSmimeStore store, string identity, byte[][] certificates, params string[] proxies) =>
        store.UpdateRecipient(
            Contoso,
            identity,
            draft => new[] { draft.SetUserCertificates(certificates), draft.SetProxyAddresses(proxies) }.OfType<SmimeSettingChange>().ToList(),
            s_context,
            createIfMissing: true);

    private static void SetConfig(FileSmimeStore store, string flag)
    {
        SmimeSettingsUpdate update = SmimeSettingsUpdate.Create(new[] { new KeyValuePair<string, object?>(flag, true) });
        store.UpdateConfig(Contoso, draft => update.ApplyTo(draft.Settings), s_context);
    }

    // What a writer killed after writing the pending-change file leaves: with the recipient's file written (committed)
    // and no audit line, or with only a temporary file of the recipient's.
    private SmimeAuditRecord LeavePendingChange(string address, byte[][] certificates, bool committed, long revision = 0)
    {
        string path = Path.Combine(OrganizationFolder, "recipients", RecipientAddress.FileName(address));
        SmimeRecipient current = RecipientFile.Deserialize(File.ReadAllBytes(path), path, Contoso, out _);
        var draft = new SmimeRecipientDraft(current);
        var record = new SmimeAuditRecord(revision, _now, Contoso, s_context, new[]
        {
            new SmimeSettingChange("PrimarySmtpAddress", current.PrimarySmtpAddress, current.PrimarySmtpAddress),
            draft.SetUserCertificates(certificates)!,
        });
        var pending = new PendingRecipientChange(Path.GetFileName(path), Guid.NewGuid(), false, record);
        File.WriteAllBytes(PendingChangePath, RecipientChangeFile.Serialize(pending));
        var updated = new SmimeRecipient(
            Contoso, current.PrimarySmtpAddress, current.ObjectGuid, current.WhenCreatedUtc, _now, current.ProxyAddresses, draft.UserCertificates, current.UserSmimeCertificates, path);
        File.WriteAllBytes(committed ? path : path + "." + Guid.NewGuid().ToString("N") + ".tmp", RecipientFile.Serialize(updated, pending.ChangeId));
        return record;
    }

    private Dictionary<string, byte[]> Snapshot() =>
        Directory.EnumerateFiles(_folder.Path, "*", SearchOption.AllDirectories)
            .ToDictionary(path => Path.GetRelativePath(_folder.Path, path), File.ReadAllBytes);
}
