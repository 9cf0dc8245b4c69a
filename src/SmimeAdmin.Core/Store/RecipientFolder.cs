using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using SmimeAdmin.Core.Settings;

namespace SmimeAdmin.Core.Store;

/// <summary>
/// The recipients of one organization in the folder store: <c>recipients/</c> holds one file per recipient, named by
/// its primary address; <c>proxies/</c> one link file per proxy address, naming its recipient.
/// </summary>
/// <remarks>
/// Nothing here reads or writes a file whose size grows with the number of recipients, and nothing lists a folder,
/// except <see cref="List"/> and the recovery after a killed writer: a lookup, by primary or proxy address, opens at
/// most three files; an update writes the recipient's file, the links of the addresses it gains, the pending-change
/// file and one audit line.
/// </remarks>
internal sealed class RecipientFolder
{
    internal const string RecipientsFolderName = "recipients";
    internal const string ProxiesFolderName = "proxies";

    private readonly string _folder;
    private readonly string _recipients;
    private readonly string _proxies;

    public RecipientFolder(string organizationFolder)
    {
        _folder = organizationFolder;
        _recipients = Path.Combine(organizationFolder, RecipientsFolderName);
        _proxies = Path.Combine(organizationFolder, ProxiesFolderName);
        Organization = Path.GetFileName(organizationFolder);
    }

    /// <summary>The organization's name as its folder spells it.</summary>
    public string Organization { get; }

    /// <summary>Finds the recipient whose primary or proxy address is <paramref name="address"/>.</summary>
    public SmimeRecipient? Find(string address)
    {
        string fileName = RecipientAddress.FileName(address);
        if (ReadByFileName(fileName) is SmimeRecipient recipient)
        {
            return recipient;
        }

        string? owner = ReadLink(fileName);
        return owner is null ? null : ReadOwnerOf(owner, address);
    }

    /// <summary>Every recipient, read lazily (see <see cref="RecipientList"/>).</summary>
    public IReadOnlyList<SmimeRecipient> List() =>
        Directory.Exists(_recipients)
            ? new RecipientList(this, Directory.EnumerateFiles(_recipients, "*.json").Select(Path.GetFileName).ToArray()!)
            : Array.Empty<SmimeRecipient>();

    /// <summary>Reads a recipient's file; <see langword="null"/> when it does not exist.</summary>
    public SmimeRecipient? ReadByFileName(string fileName) => ReadByFileName(fileName, out _);

    /// <summary>
    /// Reads, changes and writes a recipient. Call only while holding the organization's lock.
    /// </summary>
    public SmimeRecipientUpdateResult Update(
        string address,
        Func<SmimeRecipientDraft, IReadOnlyList<SmimeSettingChange>> change,
        SmimeAuditContext context,
        bool createIfMissing,
        DateTime now)
    {
        SmimeRecipient? current = Find(address);
        if (current is null && !createIfMissing)
        {
            throw new SmimeRecipientNotFoundException(Organization, address);
        }

        var draft = current is null ? new SmimeRecipientDraft(address) : new SmimeRecipientDraft(current);
        IReadOnlyList<SmimeSettingChange> changes = change(draft);
        if (changes.Count == 0)
        {
            return new SmimeRecipientUpdateResult(current, changes, null);
        }

        string primary = draft.PrimarySmtpAddress;
        string fileName = RecipientAddress.FileName(primary);
        IReadOnlyList<string> before = current?.ProxyAddresses ?? Array.Empty<string>();
        IReadOnlyList<string> after = draft.IsRemoved ? Array.Empty<string>() : draft.ProxyAddresses;
        List<string> gained = after.Where(proxy => !before.Any(old => RecipientAddress.AreSame(old, proxy))).ToList();
        List<string> lost = before.Where(old => !after.Any(proxy => RecipientAddress.AreSame(old, proxy))).ToList();
        foreach (string proxy in gained)
        {
            CheckAddressIsFree(proxy, primary);
        }

        string recipientPath = Path.Combine(_recipients, fileName);
        var auditChanges = new List<SmimeSettingChange>(changes.Count + 1);
        if (!draft.IsRemoved)
        {
            // The record names the recipient it is about; creating one shows as its address appearing.
            auditChanges.Add(new SmimeSettingChange(SmimeRecipientDraft.PrimarySmtpAddressName, current is null ? string.Empty : primary, primary));
        }

        auditChanges.AddRange(changes);

        using AuditLogFile.Appender audit = AuditLogFile.OpenForAppend(Path.Combine(_folder, AuditLogFile.FileName));
        ConfigHead head = ConfigHead.Read(_folder);
        bool appendedPrevious = ResolvePendingChange(_folder, audit, head.LastChange);

        var record = new SmimeAuditRecord(head.Revision, now, Organization, context, auditChanges);
        var pending = new PendingRecipientChange(fileName, Guid.NewGuid(), draft.IsRemoved, record);
        SmimeRecipient? updated = draft.IsRemoved
            ? null
            : new SmimeRecipient(
                Organization,
                primary,
                current?.ObjectGuid ?? Guid.NewGuid(),
                current?.WhenCreatedUtc ?? now,
                now,
                draft.ProxyAddresses,
                draft.UserCertificates,
                draft.UserSmimeCertificates,
                recipientPath);

        string pendingPath = Path.Combine(_folder, RecipientChangeFile.FileName);
        RecipientChangeFile.Write(pendingPath, pending);
        foreach (string proxy in gained)
        {
            Directory.CreateDirectory(_proxies);
            AtomicFile.Write(Path.Combine(_proxies, RecipientAddress.FileName(proxy)), ProxyAddressFile.Serialize(proxy, primary));
        }

        // The recipient's file is the commit point; the pending-change file covers a kill before the audit append.
        if (updated is null)
        {
            File.Delete(recipientPath);
        }
        else
        {
            Directory.CreateDirectory(_recipients);
            AtomicFile.Write(recipientPath, RecipientFile.Serialize(updated, pending.ChangeId));
        }

        audit.Append(appendedPrevious ? null : head.LastChange, record);
        foreach (string proxy in lost)
        {
            DeleteLinkIfOwnedBy(proxy, primary);
        }

        File.Delete(pendingPath);
        return new SmimeRecipientUpdateResult(updated, changes, record);
    }

    /// <summary>
    /// Finishes the recipient change a killed writer left: appends its audit record when the change was committed
    /// and the record is not in the log, removes temporary files when it was not (or when the writer was killed
    /// while writing the pending-change file), and deletes the pending-change file. Call only while holding the organization's lock, with the log opened for appending.
    /// </summary>
    /// <param name="organizationFolder">The organization's folder.</param>
    /// <param name="audit">The organization's audit log.</param>
    /// <param name="configLastChange">The configuration's last record, appended first if the log lacks it.</param>
    /// <returns>
    /// Whether records were appended; the caller then passes no previous record to its own append, which would
    /// otherwise add <paramref name="configLastChange"/> a second time.
    /// </returns>
    public static bool ResolvePendingChange(string organizationFolder, AuditLogFile.Appender audit, SmimeAuditRecord? configLastChange)
    {
        string pendingPath = Path.Combine(organizationFolder, RecipientChangeFile.FileName);
        PendingRecipientChange? pending = RecipientChangeFile.TryRead(pendingPath, out bool torn);
        if (pending is null && !torn)
        {
            return false;
        }

        var folder = new RecipientFolder(organizationFolder);
        bool appended = false;
        if (pending is null || !folder.IsCommitted(pending))
        {
            if (Directory.Exists(folder._recipients))
            {
                AtomicFile.RemoveLeftovers(folder._recipients);
            }
        }
        else if (!IsLastRecord(organizationFolder, pending.Record))
        {
            audit.Append(configLastChange, pending.Record);
            appended = true;
        }

        File.Delete(pendingPath);
        return appended;
    }

    /// <summary>Adds the record of a committed recipient change that a killed writer left out of the log.</summary>
    public static void CompleteAuditLog(List<SmimeAuditRecord> records, string organizationFolder)
    {
        PendingRecipientChange? pending = RecipientChangeFile.TryRead(Path.Combine(organizationFolder, RecipientChangeFile.FileName), out _);
        if (pending is not null
            && new RecipientFolder(organizationFolder).IsCommitted(pending)
            && (records.Count == 0 || !SameRecord(records[records.Count - 1], pending.Record)))
        {
            records.Add(pending.Record);
        }
    }

    // Only a writer killed between its commit and its delete of the pending file gets here, so reading the whole log
    // is rare; the record, if appended, is the last complete line, because no writer has appended since.
    private static bool IsLastRecord(string organizationFolder, SmimeAuditRecord record)
    {
        List<SmimeAuditRecord> records = AuditLogFile.Read(Path.Combine(organizationFolder, AuditLogFile.FileName));
        return records.Count > 0 && SameRecord(records[records.Count - 1], record);
    }

    private static bool SameRecord(SmimeAuditRecord left, SmimeAuditRecord right) =>
        Serialize(left).AsSpan().SequenceEqual(Serialize(right));

    private static byte[] Serialize(SmimeAuditRecord record) =>
        JsonStoreFile.Write(AuditLogFile.Format, AuditLogFile.SchemaVersion, writer => AuditLogFile.WriteFields(writer, record), indented: false);

    private bool IsCommitted(PendingRecipientChange pending)
    {
        SmimeRecipient? recipient = ReadByFileName(pending.FileName, out Guid changeId);
        return pending.Removed ? recipient is null : recipient is not null && changeId == pending.ChangeId;
    }

    private SmimeRecipient? ReadByFileName(string fileName, out Guid changeId)
    {
        string path = Path.Combine(_recipients, fileName);
        byte[]? content = FileSmimeStore.Guard(path, () => AtomicFile.ReadIfExists(path));
        if (content is null)
        {
            changeId = Guid.Empty;
            return null;
        }

        return RecipientFile.Deserialize(content, path, Organization, out changeId);
    }

    private string? ReadLink(string fileName)
    {
        string path = Path.Combine(_proxies, fileName);
        byte[]? content = AtomicFile.ReadIfExists(path);
        return content is null ? null : ProxyAddressFile.Deserialize(content, path);
    }

    // A link counts only while the recipient it names lists the address (see ProxyAddressFile).
    private SmimeRecipient? ReadOwnerOf(string owner, string address)
    {
        SmimeRecipient? recipient = ReadByFileName(RecipientAddress.FileName(owner));
        return recipient is not null && recipient.ProxyAddresses.Any(proxy => RecipientAddress.AreSame(proxy, address))
            ? recipient
            : null;
    }

    private void CheckAddressIsFree(string address, string primary)
    {
        string fileName = RecipientAddress.FileName(address);
        SmimeRecipient? owner = ReadByFileName(fileName);
        if (owner is null && ReadLink(fileName) is string linked && !RecipientAddress.AreSame(linked, primary))
        {
            owner = ReadOwnerOf(linked, address);
        }

        if (owner is not null)
        {
            throw new SmimeRecipientAddressInUseException(address, owner.PrimarySmtpAddress);
        }
    }

    private void DeleteLinkIfOwnedBy(string proxy, string primary)
    {
        string fileName = RecipientAddress.FileName(proxy);
        if (ReadLink(fileName) is string owner && RecipientAddress.AreSame(owner, primary))
        {
            File.Delete(Path.Combine(_proxies, fileName));
        }
    }

    /// <summary>The two things a recipient change needs from <c>config.json</c>, read without the collection file.</summary>
    private readonly struct ConfigHead
    {
        private ConfigHead(long revision, SmimeAuditRecord? lastChange)
        {
            Revision = revision;
            LastChange = lastChange;
        }

        /// <summary>The configuration revision in effect, which recipient records carry.</summary>
        public long Revision { get; }

        /// <summary>The configuration's last record, to append first if a killed writer left it out.</summary>
        public SmimeAuditRecord? LastChange { get; }

        public static ConfigHead Read(string organizationFolder)
        {
            string path = Path.Combine(organizationFolder, ConfigFile.FileName);
            byte[]? content = AtomicFile.ReadIfExists(path);
            return content is null
                ? default
                : JsonStoreFile.Read(content, path, ConfigFile.Format, ConfigFile.SchemaVersion, root => new ConfigHead(
                    JsonStoreFile.Required(root, "revision").GetInt64(),
                    root.TryGetProperty("lastChange", out System.Text.Json.JsonElement lastChange) ? AuditLogFile.ReadFields(lastChange) : null));
        }
    }
}
