using System;
using System.Collections.Generic;
using System.DirectoryServices.Protocols;
using System.Globalization;
using System.Linq;
using System.Runtime.ExceptionServices;
using System.Text;
using System.Threading;
using SmimeAdmin.Core;
using SmimeAdmin.Core.Certificates;
using SmimeAdmin.Core.Settings;
using SmimeAdmin.Core.Store;

namespace SmimeAdmin.Ldap;

/// <summary>
/// The directory store: organizations and users' certificates in an LDAP directory (OpenLDAP, Active Directory).
/// </summary>
/// <remarks>
/// Layout (see docs/store-format.md): each organization is an <c>applicationProcess</c> entry
/// <c>cn=&lt;name&gt;,ou=SmimeAdmin,&lt;base DN&gt;</c> whose <c>description</c> holds the configuration document
/// (the folder store's config.json, with the certificate collection embedded); its audit records are child entries of
/// the same class. Users are the directory's own entries anywhere under the base DN; the store reads their addresses
/// and writes only <c>userCertificate;binary</c> and <c>userSMIMECertificate</c>. Writers never lock: each write
/// states what it read (the old <c>description</c> value, or an assertion on <c>entryCSN</c>) and is tried again on
/// the state the server has when another writer came first.
/// </remarks>
public sealed class LdapSmimeStore : ISmimeStore, IDisposable
{
    /// <summary>The provider name shown by Get-SmimeStore.</summary>
    public const string Provider = "Ldap";

    /// <summary>How many times a change is read, applied and written before a conflict is reported.</summary>
    public const int MaximumAttempts = 10;

    // The longest wait before a retry, in milliseconds; waits grow from a few milliseconds up to it.
    private const int MaximumRetryDelay = 200;

    internal const string ContainerName = "SmimeAdmin";
    internal const string EntryClass = "applicationProcess";
    internal const string DocumentAttribute = "description";
    internal const string UserCertificateAttribute = "userCertificate;binary";
    internal const string UserSmimeCertificateAttribute = "userSMIMECertificate";

    private const string AssertionControlOid = "1.3.6.1.1.12";
    private const string ChangeStampAttribute = "entryCSN";
    private const string SmtpPrefix = "smtp:";
    private const int PageSize = 500;

    /// <summary>How many identities one search looks up (four filter terms each).</summary>
    internal const int LookupChunkSize = 100;

    private static readonly string[] s_organizationAttributes =
        { "cn", DocumentAttribute, ChangeStampAttribute, "entryUUID", "objectGUID", "createTimestamp", "modifyTimestamp" };

    private static readonly string[] s_userAttributes =
    {
        "mail", "uid", "userPrincipalName", "proxyAddresses", UserCertificateAttribute, UserSmimeCertificateAttribute, ChangeStampAttribute,
        "entryUUID", "objectGUID", "createTimestamp", "modifyTimestamp", "whenCreated", "whenChanged",
    };

    private static readonly string[] s_nameAttribute = { "cn" };
    private static readonly string[] s_organizationHeadAttributes = { "cn", DocumentAttribute };
    private static readonly string[] s_auditAttributes = { "cn", DocumentAttribute };
    private static readonly string[] s_existenceAttributes = { "objectClass" };

    private readonly DirectoryConnection _connection;
    private readonly DirectoryConnection _reader;
    private readonly Func<DateTime> _utcNow;
    private readonly object _sync = new();
    private readonly object _readSync = new();

    private LdapSmimeStore(LdapStoreOptions options, Func<DateTime>? utcNow)
    {
        Options = options;
        BaseDn = options.BaseDn;
        ContainerDn = "ou=" + ContainerName + "," + BaseDn;
        Location = options.Uri.GetLeftPart(UriPartial.Authority) + "/" + BaseDn;
        _connection = new DirectoryConnection(options);
        _reader = new DirectoryConnection(options);
        _utcNow = utcNow ?? (() => DateTime.UtcNow);
    }

    /// <inheritdoc/>
    public string ProviderName => Provider;

    /// <inheritdoc/>
    public string Location { get; }

    /// <summary>The entry under which users are searched and organizations are kept.</summary>
    public string BaseDn { get; }

    /// <summary>The entry that holds the organizations: <c>ou=SmimeAdmin,&lt;base DN&gt;</c>.</summary>
    public string ContainerDn { get; }

    internal LdapStoreOptions Options { get; }

    /// <summary>Connects and binds, and checks that the base DN exists.</summary>
    /// <param name="options">Where and as whom to connect.</param>
    /// <param name="utcNow">The clock for audit records; the system's when <see langword="null"/>.</param>
    /// <exception cref="SmimeStoreAccessDeniedException">The credentials were refused.</exception>
    /// <exception cref="SmimeStoreException">The server cannot be reached, TLS failed, or the base DN does not exist.</exception>
    public static LdapSmimeStore Connect(LdapStoreOptions options, Func<DateTime>? utcNow = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var store = new LdapSmimeStore(options, utcNow);
        try
        {
            store._connection.EnsureOpen();
            if (ReadEntry(store._connection, store.BaseDn, s_existenceAttributes) is null)
            {
                throw new SmimeStoreException(
                    string.Format(CultureInfo.CurrentCulture, Strings.DirectoryBaseDnMissing, store.BaseDn, store._connection.Location), store.BaseDn);
            }

            return store;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _connection.Dispose();
        _reader.Dispose();
    }

    /// <inheritdoc/>
    public IReadOnlyList<string> GetOrganizations() => Locked(() =>
        Search(_connection, ContainerDn, SearchScope.OneLevel, "(objectClass=" + EntryClass + ")", s_nameAttribute, missingBaseIsEmpty: true)
            .Select(entry => DirectoryEntries.FirstText(entry, "cn"))
            .OfType<string>()
            .OrderBy(name => name, StringComparer.OrdinalIgnoreCase)
            .ToArray());

    /// <inheritdoc/>
    public SmimeOrganizationConfig ReadConfig(string organization)
    {
        OrganizationName.Validate(organization);
        return Locked(() => ReadOrganization(organization).Config);
    }

    /// <inheritdoc/>
    public SmimeConfigUpdateResult UpdateConfig(
        string organization,
        Func<SmimeConfigDraft, IReadOnlyList<SmimeSettingChange>> change,
        SmimeAuditContext context,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(context);
        OrganizationName.Validate(organization);
        return Locked(() =>
        {
            for (int attempt = 1; attempt <= MaximumAttempts; attempt++)
            {
                WaitBeforeAttempt(attempt, cancellationToken);
                OrganizationEntry current = ReadOrganization(organization);
                SmimeOrganizationConfig config = current.Config;
                var draft = new SmimeConfigDraft(config.Settings.Clone(), config.CertificateCollection);
                IReadOnlyList<SmimeSettingChange> changes = change(draft);
                if (changes.Count == 0)
                {
                    return new SmimeConfigUpdateResult(config, changes);
                }

                SmimeOrganizationConfig updated = config.Next(draft, context, changes, _utcNow());
                SmimeAuditRecord record = updated.LastChange!;
                string document = Encoding.UTF8.GetString(ConfigFile.Serialize(updated, embedCollection: true));

                // The configuration is the commit point; it carries its own audit record, which is added as an entry
                // next, and by the next writer or reader when this one is stopped in between (see ReadAuditLog).
                if (!TryWriteOrganization(current, document))
                {
                    continue;
                }

                AddAuditEntry(current.Dn, config.LastChange, ConfigRecordName(config.LastChange));
                AddAuditEntry(current.Dn, record, ConfigRecordName(record));
                return new SmimeConfigUpdateResult(updated, changes);
            }

            throw new SmimeStoreConflictException(OrganizationDn(organization), MaximumAttempts);
        });
    }

    /// <inheritdoc/>
    public IReadOnlyList<SmimeAuditRecord> ReadAuditLog(string organization)
    {
        OrganizationName.Validate(organization);
        return Locked(() =>
        {
            OrganizationEntry current = ReadOrganization(organization);
            var records = Search(_connection, current.Dn, SearchScope.OneLevel, "(objectClass=" + EntryClass + ")", s_auditAttributes, missingBaseIsEmpty: true)
                .Select(entry => (Name: DirectoryEntries.FirstText(entry, "cn") ?? string.Empty, Entry: entry))
                .OrderBy(item => item.Name, StringComparer.Ordinal)
                .SelectMany(item => ParseAuditRecords(item.Entry))
                .ToList();
            AuditLogFile.Complete(records, current.Config);
            return records;
        });
    }

    /// <inheritdoc/>
    /// <remarks>
    /// The identity may be a mail address, a uid, a userPrincipalName, an <c>smtp:</c> proxy address or the entry's
    /// DN. A directory user without a mail attribute is not a recipient.
    /// </remarks>
    public SmimeRecipient? ReadRecipient(string organization, string identity) =>
        Single(FindRecipients(organization, new[] { identity }));

    /// <inheritdoc/>
    /// <remarks>
    /// Identities are looked up <see cref="LookupChunkSize"/> at a time, with one search for each chunk, on a
    /// connection of their own: a bulk publish reads its next batch while the last one is written.
    /// </remarks>
    public IReadOnlyList<SmimeBatchItem<SmimeRecipient>> FindRecipients(string organization, IReadOnlyList<string> identities)
    {
        ArgumentNullException.ThrowIfNull(identities);
        OrganizationName.Validate(organization);
        lock (_readSync)
        {
            var items = new SmimeBatchItem<SmimeRecipient>?[identities.Count];
            string?[] checkedIdentities = CheckIdentities(identities, items);
            Dictionary<string, SmimeBatchItem<SearchResultEntry>> users = FindUsers(_reader, checkedIdentities.OfType<string>());
            for (int index = 0; index < items.Length; index++)
            {
                if (checkedIdentities[index] is string identity)
                {
                    SmimeBatchItem<SearchResultEntry> user = users[identity];
                    items[index] = user.Error is SmimeAdminException error
                        ? SmimeBatchItem.Failure<SmimeRecipient>(identities[index], error)
                        : SmimeBatchItem.Success<SmimeRecipient>(identities[index], user.Value is null ? null : Remembered(ToRecipient(organization, user.Value), user.Value));
                }
            }

            return items.Select(item => item!).ToArray();
        }
    }

    /// <inheritdoc/>
    /// <remarks>Every entry under the base DN that has a mail attribute, read in pages.</remarks>
    public IReadOnlyList<SmimeRecipient> ReadRecipients(string organization)
    {
        OrganizationName.Validate(organization);
        return Locked(() => Search(_connection, BaseDn, SearchScope.Subtree, "(mail=*)", s_userAttributes, missingBaseIsEmpty: false)
            .Select(entry => ToRecipient(organization, entry))
            .OfType<SmimeRecipient>()
            .OrderBy(recipient => recipient.PrimarySmtpAddress.ToLowerInvariant(), StringComparer.Ordinal)
            .ToArray());
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Users are the directory's: a missing user is an error even when <paramref name="createIfMissing"/> is set,
    /// proxy addresses cannot be changed here, and removing a recipient clears its certificates but keeps the user.
    /// The audit record is added before the user's entry is changed, and taken back when that change fails.
    /// </remarks>
    public SmimeRecipientUpdateResult UpdateRecipient(
        string organization,
        string identity,
        Func<SmimeRecipientDraft, IReadOnlyList<SmimeSettingChange>> change,
        SmimeAuditContext context,
        bool createIfMissing = false,
        CancellationToken cancellationToken = default) =>
        Single(UpdateRecipients(organization, new[] { new SmimeRecipientChange(identity, change, createIfMissing) }, context, cancellationToken))!;

    /// <inheritdoc/>
    /// <remarks>
    /// As <see cref="UpdateRecipient"/>, in rounds: the users of every change not yet done are looked up with a few
    /// searches, the records of the round's changes go into one audit entry (one <c>description</c> value each), and
    /// then each user's entry is changed with a modify guarded by its <c>entryCSN</c>. The records of changes that
    /// were not made are taken out of the entry again. Changes that lost a race to another writer, or that change a
    /// user the round already changes, go to the next round.
    /// </remarks>
    public IReadOnlyList<SmimeBatchItem<SmimeRecipientUpdateResult>> UpdateRecipients(
        string organization,
        IReadOnlyList<SmimeRecipientChange> changes,
        SmimeAuditContext context,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(context);
        OrganizationName.Validate(organization);
        return Locked(() =>
        {
            var items = new SmimeBatchItem<SmimeRecipientUpdateResult>?[changes.Count];
            string?[] identities = CheckIdentities(changes.Select(change => change.Identity).ToArray(), items);
            List<int> pending = Enumerable.Range(0, changes.Count).Where(index => items[index] is null).ToList();
            int attempt = 1;
            bool firstRound = true;
            while (pending.Count > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Round round = ApplyRound(organization, changes, identities, pending, items, context, firstRound);
                firstRound = false;
                if (round.LostRaces.Count > 0 && ++attempt > MaximumAttempts)
                {
                    foreach (int index in round.LostRaces)
                    {
                        items[index] = SmimeBatchItem.Failure<SmimeRecipientUpdateResult>(
                            changes[index].Identity, new SmimeStoreConflictException(identities[index]!, MaximumAttempts));
                    }

                    round = new Round(Array.Empty<int>(), round.Later);
                }
                else if (round.LostRaces.Count > 0)
                {
                    WaitBeforeAttempt(attempt, cancellationToken);
                }

                // Kept in their order, so that two changes of one user are applied as they were given.
                pending = round.LostRaces.Concat(round.Later).OrderBy(index => index).ToList();
            }

            return items.Select(item => item!).ToArray();
        });
    }

    // One round of UpdateRecipients over the pending changes: fills in the items of the changes it finished.
    private Round ApplyRound(
        string organization,
        IReadOnlyList<SmimeRecipientChange> changes,
        string?[] identities,
        List<int> pending,
        SmimeBatchItem<SmimeRecipientUpdateResult>?[] items,
        SmimeAuditContext context,
        bool firstRound)
    {
        // Only a first round may start from what the caller read: later ones follow a write of this batch.
        var known = new Dictionary<int, SearchResultEntry>();
        foreach (int index in firstRound ? pending : Enumerable.Empty<int>())
        {
            if (changes[index].LastRead?.ReadState is EntryRead { Store: var store, Entry: var entry } && store == this
                && DirectoryEntries.FirstText(entry, ChangeStampAttribute) is not null)
            {
                known[index] = entry;
            }
        }

        Dictionary<string, SmimeBatchItem<SearchResultEntry>> users = FindUsers(_connection, pending.Where(index => !known.ContainsKey(index)).Select(index => identities[index]!));
        // A user appears once per round, so that a second change of it sees the first.
        var later = new List<int>();
        var roundUsers = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var writes = new List<PlannedWrite>();
        foreach (int index in pending)
        {
            string identity = identities[index]!;
            SmimeBatchItem<SearchResultEntry> user = known.TryGetValue(index, out SearchResultEntry? read)
                ? SmimeBatchItem.Success(identity, read)
                : users[identity];
            if (user.Value is SearchResultEntry entry && !roundUsers.Add(entry.DistinguishedName))
            {
                later.Add(index);
                continue;
            }

            SmimeBatchItem<PlannedWrite> plan = user.Error is SmimeAdminException lookupError
                ? SmimeBatchItem.Failure<PlannedWrite>(identity, lookupError)
                : SmimeBatchItem.Run<PlannedWrite>(identity, () => Plan(organization, identity, user.Value, changes[index].Change, index));
            if (plan.Value is { Done: SmimeRecipientUpdateResult done })
            {
                items[index] = SmimeBatchItem.Success<SmimeRecipientUpdateResult>(changes[index].Identity, done);
            }
            else if (plan.Value is PlannedWrite write)
            {
                writes.Add(write);
            }
            else
            {
                items[index] = SmimeBatchItem.Failure<SmimeRecipientUpdateResult>(changes[index].Identity, plan.Error!);
            }
        }

        var lostRaces = new List<int>();
        if (writes.Count == 0)
        {
            return new Round(lostRaces, later);
        }

        DateTime now = _utcNow();
        string auditDn;
        SmimeAuditRecord[] records;
        try
        {
            OrganizationHead head = EnsureOrganizationEntry(organization);
            records = writes.Select(write => new SmimeAuditRecord(head.Revision, now, head.Name, context, write.AuditChanges)).ToArray();
            auditDn = AddAuditEntry(head.Dn, records, RecipientRecordName(records[0]));
        }
        catch (SmimeStoreException ex)
        {
            foreach (PlannedWrite write in writes)
            {
                items[write.Index] = SmimeBatchItem.Failure<SmimeRecipientUpdateResult>(changes[write.Index].Identity, ex);
            }

            return new Round(lostRaces, later);
        }

        var unmade = new List<SmimeAuditRecord>();
        IReadOnlyList<(DirectoryResponse? Response, SmimeStoreException? Error)> sent =
            _connection.SendConcurrently(writes.Select(write => ((DirectoryRequest)write.Modification!, write.Entry!.DistinguishedName)).ToArray());
        for (int position = 0; position < writes.Count; position++)
        {
            PlannedWrite write = writes[position];
            if (sent[position].Error is not SmimeStoreException error)
            {
                items[write.Index] = SmimeBatchItem.Success(changes[write.Index].Identity, write.Written(now, records[position]));
                continue;
            }

            unmade.Add(records[position]);
            if (IsConflict(error))
            {
                lostRaces.Add(write.Index);
            }
            else
            {
                items[write.Index] = SmimeBatchItem.Failure<SmimeRecipientUpdateResult>(changes[write.Index].Identity, error);
            }
        }

        RemoveAuditRecords(auditDn, unmade, all: unmade.Count == records.Length);
        return new Round(lostRaces, later);
    }

    // What a change does to one user: nothing to write (Done), or the modify and the audit changes.
    private PlannedWrite Plan(
        string organization,
        string identity,
        SearchResultEntry? entry,
        Func<SmimeRecipientDraft, IReadOnlyList<SmimeSettingChange>> change,
        int index)
    {
        if (entry is null)
        {
            throw new SmimeRecipientNotFoundException(organization, identity, string.Format(CultureInfo.CurrentCulture, Strings.DirectoryUserNotFound, identity, BaseDn));
        }

        SmimeRecipient current = ToRecipient(organization, entry)
            ?? throw new SmimeRecipientNotFoundException(organization, identity, string.Format(
                CultureInfo.CurrentCulture, Strings.DirectoryUserHasNoMail, entry.DistinguishedName));
        var draft = new SmimeRecipientDraft(current);
        IReadOnlyList<SmimeSettingChange> changes = change(draft);
        if (changes.Count == 0)
        {
            return PlannedWrite.Nothing(new SmimeRecipientUpdateResult(current, changes, null));
        }

        IReadOnlyList<byte[]> certificates = draft.IsRemoved ? Array.Empty<byte[]>() : draft.UserCertificates;
        IReadOnlyList<byte[]> blobs = draft.IsRemoved ? Array.Empty<byte[]>() : draft.UserSmimeCertificates;
        if (!draft.IsRemoved && !SameAddresses(draft.ProxyAddresses, current.ProxyAddresses))
        {
            throw new SmimeStoreException(
                string.Format(CultureInfo.CurrentCulture, Strings.DirectoryProxyAddressesReadOnly, entry.DistinguishedName), entry.DistinguishedName);
        }

        var modification = new ModifyRequest(entry.DistinguishedName);
        AddReplacement(modification, UserCertificateAttribute, current.UserCertificates, certificates);
        AddReplacement(modification, UserSmimeCertificateAttribute, current.UserSmimeCertificates, blobs);
        if (modification.Modifications.Count == 0)
        {
            // Only the addresses would change, and the directory owns those.
            return PlannedWrite.Nothing(new SmimeRecipientUpdateResult(current, Array.Empty<SmimeSettingChange>(), null));
        }

        if (DirectoryEntries.FirstText(entry, ChangeStampAttribute) is string stamp)
        {
            modification.Controls.Add(new DirectoryControl(AssertionControlOid, LdapText.EqualityAssertion(ChangeStampAttribute, stamp), true, true));
        }

        List<SmimeSettingChange> auditChanges = changes
            .Where(item => item.Name is not SmimeRecipientDraft.PrimarySmtpAddressName and not SmimeRecipientDraft.ProxyAddressesName)
            .ToList();
        auditChanges.Insert(0, new SmimeSettingChange(SmimeRecipientDraft.PrimarySmtpAddressName, current.PrimarySmtpAddress, current.PrimarySmtpAddress));
        return new PlannedWrite(index, null, entry, current, certificates, blobs, modification, auditChanges);
    }

    internal string OrganizationDn(string organization) => "cn=" + LdapText.EscapeDnValue(organization) + "," + ContainerDn;

    // Revisions are zero-padded so that the entries' names sort as the log does: a configuration record, then the
    // recipient records made while it was in effect, by time.
    private static string ConfigRecordName(SmimeAuditRecord? record) =>
        record is null ? string.Empty : "r" + record.Revision.ToString("D12", CultureInfo.InvariantCulture);

    private static string RecipientRecordName(SmimeAuditRecord record) =>
        ConfigRecordName(record) + "-" + record.TimeUtc.ToString("yyyyMMddHHmmssfffffff", CultureInfo.InvariantCulture)
        + "-" + Guid.NewGuid().ToString("N").Substring(0, 12);

    private static string CheckIdentity(string identity)
    {
        string trimmed = identity?.Trim() ?? string.Empty;
        if (trimmed.Length == 0)
        {
            throw new SmimeRecipientAddressException(identity, Strings.DirectoryIdentityEmpty);
        }

        return trimmed;
    }

    private static bool SameAddresses(IReadOnlyList<string> left, IReadOnlyList<string> right) =>
        left.Count == right.Count && left.All(address => right.Any(other => RecipientAddress.AreSame(address, other)));

    // Replaces an attribute's values when they changed; an empty set removes the attribute.
    private static void AddReplacement(ModifyRequest request, string attribute, IReadOnlyList<byte[]> before, IReadOnlyList<byte[]> after)
    {
        if (EncodedValues.SameSet(after, before))
        {
            return;
        }

        var modification = new DirectoryAttributeModification { Name = attribute, Operation = DirectoryAttributeOperation.Replace };
        foreach (byte[] value in after)
        {
            modification.Add(value);
        }

        request.Modifications.Add(modification);
    }

    // An entry holds one record, or the records of a batch of recipient changes in the order they were made.
    private static IEnumerable<SmimeAuditRecord> ParseAuditRecords(SearchResultEntry entry)
    {
        IReadOnlyList<byte[]> documents = DirectoryEntries.Binary(entry, DocumentAttribute);
        if (documents.Count == 0)
        {
            throw new SmimeStoreCorruptException(entry.DistinguishedName, string.Format(CultureInfo.CurrentCulture, Strings.DirectoryEntryNoDocument, DocumentAttribute));
        }

        return documents.Select(document =>
            JsonStoreFile.Read(document, entry.DistinguishedName, AuditLogFile.Format, AuditLogFile.SchemaVersion, AuditLogFile.ReadFields));
    }

    private static SmimeRecipient? ToRecipient(string organization, SearchResultEntry entry)
    {
        IReadOnlyList<string> mail = DirectoryEntries.Text(entry, "mail");
        if (mail.Count == 0)
        {
            return null;
        }

        string primary = mail[0];
        List<string> proxies = RecipientAddress.ProxiesOf(primary, mail.Skip(1).Concat(SmtpProxyAddresses(entry)));
        DateTime created = DirectoryEntries.Time(entry, "createTimestamp", "whenCreated") ?? DateTime.MinValue;
        return new SmimeRecipient(
            organization,
            primary,
            DirectoryEntries.ObjectGuid(entry),
            created,
            DirectoryEntries.Time(entry, "modifyTimestamp", "whenChanged") ?? created,
            proxies,
            DirectoryEntries.Binary(entry, "userCertificate"),
            DirectoryEntries.Binary(entry, "userSMIMECertificate"),
            entry.DistinguishedName);
    }

    // The addresses of the entry's smtp: proxyAddresses values (Active Directory's alternate addresses), without prefix.
    private static IEnumerable<string> SmtpProxyAddresses(SearchResultEntry entry) =>
        DirectoryEntries.Text(entry, "proxyAddresses")
            .Where(value => value.StartsWith(SmtpPrefix, StringComparison.OrdinalIgnoreCase))
            .Select(value => value.Substring(SmtpPrefix.Length));

    // The value of a batch of one, or its error thrown.
    private static T? Single<T>(IReadOnlyList<SmimeBatchItem<T>> items)
        where T : class
    {
        if (items[0].Error is SmimeAdminException error)
        {
            ExceptionDispatchInfo.Capture(error).Throw();
        }

        return items[0].Value;
    }

    // A recipient keeps the entry it was read from, so that a change given it (SmimeRecipientChange.LastRead) can start
    // from that entry: the entryCSN assertion still catches a change made since.
    private SmimeRecipient? Remembered(SmimeRecipient? recipient, SearchResultEntry entry)
    {
        if (recipient is not null)
        {
            recipient.ReadState = new EntryRead(this, entry);
        }

        return recipient;
    }

    // The identities trimmed, or null where one is empty (its item then holds the error).
    private static string?[] CheckIdentities<T>(IReadOnlyList<string> identities, SmimeBatchItem<T>?[] items)
        where T : class
    {
        var checkedIdentities = new string?[identities.Count];
        for (int index = 0; index < identities.Count; index++)
        {
            try
            {
                checkedIdentities[index] = CheckIdentity(identities[index]);
            }
            catch (SmimeRecipientAddressException ex)
            {
                items[index] = SmimeBatchItem.Failure<T>(identities[index] ?? string.Empty, ex);
            }
        }

        return checkedIdentities;
    }

    private static bool IsDnIdentity(string identity) =>
        identity.Contains('=', StringComparison.Ordinal) && !identity.Contains('@', StringComparison.Ordinal);

    private static string BareAddress(string identity) =>
        identity.StartsWith(SmtpPrefix, StringComparison.OrdinalIgnoreCase) ? identity.Substring(SmtpPrefix.Length) : identity;

    // Matches a mail, uid, userPrincipalName or smtp: proxy address exactly; every value in the filter is escaped, so no
    // identity can widen the search.
    private static string IdentityFilter(string identity)
    {
        string value = LdapText.EscapeFilterValue(BareAddress(identity));
        return "(mail=" + value + ")(uid=" + value + ")(userPrincipalName=" + value + ")(proxyAddresses=smtp:" + value + ")";
    }

    // The entries a search returned, by each name an identity can match them by (mail, uid, userPrincipalName, smtp:
    // proxy address), compared as the directory does for these attributes: case-insensitively.
    private static Dictionary<string, List<SearchResultEntry>> ByIdentity(List<SearchResultEntry> entries)
    {
        var byName = new Dictionary<string, List<SearchResultEntry>>(StringComparer.OrdinalIgnoreCase);
        foreach (SearchResultEntry entry in entries)
        {
            IEnumerable<string> names = DirectoryEntries.Text(entry, "mail")
                .Concat(DirectoryEntries.Text(entry, "uid"))
                .Concat(DirectoryEntries.Text(entry, "userPrincipalName"))
                .Concat(SmtpProxyAddresses(entry));
            foreach (string name in names.Distinct(StringComparer.OrdinalIgnoreCase))
            {
                if (!byName.TryGetValue(name, out List<SearchResultEntry>? named))
                {
                    byName[name] = named = new List<SearchResultEntry>();
                }

                named.Add(entry);
            }
        }

        return byName;
    }

    // The users that identities name, found with one search per chunk of identities. An identity the chunk's results
    // do not plainly match (the server may compare more loosely) is looked up on its own, as is a DN. A search that
    // fails is the failure of its identities only.
    private Dictionary<string, SmimeBatchItem<SearchResultEntry>> FindUsers(DirectoryConnection connection, IEnumerable<string> identities)
    {
        var users = new Dictionary<string, SmimeBatchItem<SearchResultEntry>>(StringComparer.OrdinalIgnoreCase);
        List<string> distinct = identities.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        foreach (string[] chunk in distinct.Where(identity => !IsDnIdentity(identity)).Chunk(LookupChunkSize))
        {
            List<SearchResultEntry> found;
            try
            {
                found = Search(connection, BaseDn, SearchScope.Subtree, "(|" + string.Concat(chunk.Select(IdentityFilter)) + ")", s_userAttributes, missingBaseIsEmpty: false);
            }
            catch (SmimeStoreException ex)
            {
                foreach (string identity in chunk)
                {
                    users[identity] = SmimeBatchItem.Failure<SearchResultEntry>(identity, ex);
                }

                continue;
            }

            Dictionary<string, List<SearchResultEntry>> byIdentity = ByIdentity(found);
            foreach (string identity in chunk)
            {
                if (byIdentity.TryGetValue(BareAddress(identity), out List<SearchResultEntry>? matches))
                {
                    users[identity] = SmimeBatchItem.Run<SearchResultEntry>(identity, () => OnlyUser(identity, matches));
                }
            }
        }

        foreach (string identity in distinct.Where(identity => !users.ContainsKey(identity)))
        {
            users[identity] = SmimeBatchItem.Run<SearchResultEntry>(identity, () => FindUser(connection, identity));
        }

        return users;
    }

    // By DN when the identity is one under the base DN, else by an exact match on mail, uid, userPrincipalName or an
    // smtp: proxy address.
    private SearchResultEntry? FindUser(DirectoryConnection connection, string identity)
    {
        if (IsDnIdentity(identity))
        {
            if (!identity.EndsWith(BaseDn, StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            SearchResultEntry? byDn = ReadEntry(connection, identity, s_userAttributes, invalidDnIsMissing: true);
            return byDn is not null && DirectoryEntries.Text(byDn, "mail").Count > 0 ? byDn : null;
        }

        return OnlyUser(identity, Search(connection, BaseDn, SearchScope.Subtree, "(|" + IdentityFilter(identity) + ")", s_userAttributes, missingBaseIsEmpty: false));
    }

    private static SearchResultEntry? OnlyUser(string identity, List<SearchResultEntry> found)
    {
        if (found.Count > 1)
        {
            throw new SmimeStoreException(
                string.Format(CultureInfo.CurrentCulture, Strings.DirectoryIdentityAmbiguous, identity, found.Count, string.Join("; ", found.Select(entry => entry.DistinguishedName))),
                identity);
        }

        return found.Count == 1 ? found[0] : null;
    }

    private OrganizationEntry ReadOrganization(string organization)
    {
        string dn = OrganizationDn(organization);
        SearchResultEntry? entry = ReadEntry(_connection, dn, s_organizationAttributes);
        if (entry is null)
        {
            return new OrganizationEntry(dn, null, Unsaved(organization, dn));
        }

        string name = DirectoryEntries.FirstText(entry, "cn") ?? organization;
        SmimeOrganizationConfig config = ConfigDocument(entry) is byte[] document
            ? ConfigFile.Deserialize(document, entry.DistinguishedName)
            : Unsaved(name, entry.DistinguishedName);
        return new OrganizationEntry(entry.DistinguishedName, entry, config);
    }

    private static SmimeOrganizationConfig Unsaved(string organization, string dn) =>
        new(organization, Guid.Empty, null, null, new SmimeSettings(), dn);

    // Writes the configuration document, stating the one read; false when another writer came first.
    private bool TryWriteOrganization(OrganizationEntry current, string document)
    {
        if (current.Entry is null)
        {
            EnsureContainer();
            var add = new AddRequest(current.Dn, EntryClass);
            add.Attributes.Add(new DirectoryAttribute("cn", current.Config.Organization));
            add.Attributes.Add(new DirectoryAttribute(DocumentAttribute, document));
            return TrySend(add, current.Dn);
        }

        var modify = new ModifyRequest(current.Dn);
        if (DirectoryEntries.FirstText(current.Entry, DocumentAttribute) is string old)
        {
            modify.Modifications.Add(new DirectoryAttributeModification { Name = DocumentAttribute, Operation = DirectoryAttributeOperation.Delete });
            modify.Modifications[0].Add(old);
        }

        var addition = new DirectoryAttributeModification { Name = DocumentAttribute, Operation = DirectoryAttributeOperation.Add };
        addition.Add(document);
        modify.Modifications.Add(addition);
        if (DirectoryEntries.FirstText(current.Entry, ChangeStampAttribute) is string stamp)
        {
            modify.Controls.Add(new DirectoryControl(AssertionControlOid, LdapText.EqualityAssertion(ChangeStampAttribute, stamp), true, true));
        }

        return TrySend(modify, current.Dn);
    }

    // The organization's entry, created without a configuration when a recipient change needs a place for its record;
    // of its document only the name and revision are read, which a recipient record needs, not the whole configuration.
    private OrganizationHead EnsureOrganizationEntry(string organization)
    {
        string dn = OrganizationDn(organization);
        SearchResultEntry? entry = ReadEntry(_connection, dn, s_organizationHeadAttributes);
        if (entry is null)
        {
            EnsureContainer();
            var add = new AddRequest(dn, EntryClass);
            add.Attributes.Add(new DirectoryAttribute("cn", organization));
            TrySend(add, dn);
            entry = ReadEntry(_connection, dn, s_organizationHeadAttributes)
                ?? throw new SmimeStoreException(string.Format(CultureInfo.CurrentCulture, Strings.DirectoryRequestFailed, dn, ResultCode.NoSuchObject, dn), dn);
        }

        if (ConfigDocument(entry) is not byte[] document)
        {
            return new OrganizationHead(entry.DistinguishedName, DirectoryEntries.FirstText(entry, "cn") ?? organization, 0);
        }

        return JsonStoreFile.Read(document, entry.DistinguishedName, ConfigFile.Format, ConfigFile.SchemaVersion, root => new OrganizationHead(
            entry.DistinguishedName,
            JsonStoreFile.RequiredString(root, "organization"),
            JsonStoreFile.Required(root, "revision").GetInt64()));
    }

    // The configuration document of an organization's entry; null when none was saved yet, corrupt when several are.
    private static byte[]? ConfigDocument(SearchResultEntry entry)
    {
        IReadOnlyList<byte[]> documents = DirectoryEntries.Binary(entry, DocumentAttribute);
        return documents.Count switch
        {
            0 => null,
            1 => documents[0],
            _ => throw new SmimeStoreCorruptException(entry.DistinguishedName, string.Format(CultureInfo.CurrentCulture, Strings.DirectoryEntryManyDocuments, DocumentAttribute, documents.Count)),
        };
    }

    private void EnsureContainer()
    {
        if (ReadEntry(_connection, ContainerDn, s_existenceAttributes) is null)
        {
            var add = new AddRequest(ContainerDn, "organizationalUnit");
            add.Attributes.Add(new DirectoryAttribute("ou", ContainerName));
            TrySend(add, ContainerDn);
        }
    }

    // Adds an audit record as a child entry; one already there (added by a writer stopped before it could tell) is kept.
    private void AddAuditEntry(string organizationDn, SmimeAuditRecord? record, string name)
    {
        if (record is not null)
        {
            AddRequest add = AuditEntry(organizationDn, new[] { record }, name);
            TrySend(add, add.DistinguishedName);
        }
    }

    // Adds the records of recipient changes as one child entry, one description value each; returns its DN.
    private string AddAuditEntry(string organizationDn, IReadOnlyList<SmimeAuditRecord> records, string name)
    {
        AddRequest add = AuditEntry(organizationDn, records, name);
        _connection.Send<AddResponse>(add, add.DistinguishedName);
        return add.DistinguishedName;
    }

    private static AddRequest AuditEntry(string organizationDn, IReadOnlyList<SmimeAuditRecord> records, string name)
    {
        var add = new AddRequest("cn=" + name + "," + organizationDn, EntryClass);
        add.Attributes.Add(new DirectoryAttribute("cn", name));
        add.Attributes.Add(new DirectoryAttribute(DocumentAttribute, records.Select(record => (object)AuditDocument(record)).ToArray()));
        return add;
    }

    private static string AuditDocument(SmimeAuditRecord record) => Encoding.UTF8.GetString(
        JsonStoreFile.Write(AuditLogFile.Format, AuditLogFile.SchemaVersion, writer => AuditLogFile.WriteFields(writer, record), indented: false));

    // Takes the records of changes that were not made out of their entry, or the entry away when none was made.
    private void RemoveAuditRecords(string dn, List<SmimeAuditRecord> unmade, bool all)
    {
        if (unmade.Count == 0)
        {
            return;
        }

        DirectoryRequest request = new DeleteRequest(dn);
        if (!all)
        {
            var removal = new DirectoryAttributeModification { Name = DocumentAttribute, Operation = DirectoryAttributeOperation.Delete };
            foreach (SmimeAuditRecord record in unmade)
            {
                removal.Add(AuditDocument(record));
            }

            request = new ModifyRequest(dn, removal);
        }

        try
        {
            _connection.Send<DirectoryResponse>(request, dn);
        }
        catch (SmimeStoreException)
        {
            // Taking back the record of a change that was not made is best effort: the server that refused the change
            // may refuse this too. The record then stands for an attempt.
        }
    }

    // Sends a write; false when the server says another writer came first. Every other failure is thrown.
    private bool TrySend(DirectoryRequest request, string target)
    {
        try
        {
            _connection.Send<DirectoryResponse>(request, target);
            return true;
        }
        catch (SmimeStoreException ex) when (IsConflict(ex))
        {
            return false;
        }
    }

    // Whether the server refused a write because another writer came first: the entry exists, the old value is gone,
    // or the assertion on what was read failed.
    private static bool IsConflict(SmimeStoreException exception) =>
        exception.InnerException is DirectoryOperationException operation
        && operation.Response?.ResultCode is ResultCode.EntryAlreadyExists or ResultCode.NoSuchAttribute or ResultCode.AttributeOrValueExists
            or (ResultCode)122; // assertionFailed (RFC 4528)

    private static SearchResultEntry? ReadEntry(DirectoryConnection connection, string dn, string[] attributes, bool invalidDnIsMissing = false)
    {
        var request = new SearchRequest(dn, "(objectClass=*)", SearchScope.Base, attributes);
        try
        {
            var response = connection.Send<SearchResponse>(request, dn);
            return response.Entries.Count > 0 ? response.Entries[0] : null;
        }
        catch (SmimeStoreException ex) when (ex.InnerException is DirectoryOperationException operation
            && (operation.Response?.ResultCode == ResultCode.NoSuchObject
                || (invalidDnIsMissing && operation.Response?.ResultCode == ResultCode.InvalidDNSyntax)))
        {
            return null;
        }
    }

    private static List<SearchResultEntry> Search(DirectoryConnection connection, string baseDn, SearchScope scope, string filter, string[] attributes, bool missingBaseIsEmpty)
    {
        var request = new SearchRequest(baseDn, filter, scope, attributes);
        var paging = new PageResultRequestControl(PageSize);
        request.Controls.Add(paging);
        var entries = new List<SearchResultEntry>();
        while (true)
        {
            SearchResponse response;
            try
            {
                response = connection.Send<SearchResponse>(request, baseDn);
            }
            catch (SmimeStoreException ex) when (missingBaseIsEmpty && ex.InnerException is DirectoryOperationException operation
                && operation.Response?.ResultCode == ResultCode.NoSuchObject)
            {
                return entries;
            }

            entries.AddRange(response.Entries.Cast<SearchResultEntry>());
            PageResultResponseControl? page = response.Controls.OfType<PageResultResponseControl>().FirstOrDefault();
            if (page is null || page.Cookie.Length == 0)
            {
                return entries;
            }

            paging.Cookie = page.Cookie;
        }
    }

    // One connection serves one request at a time; cmdlets in parallel runspaces may share the store. Recipient
    // lookups have a connection and a lock of their own (FindRecipients).
    private T Locked<T>(Func<T> action)
    {
        lock (_sync)
        {
            return action();
        }
    }

    private sealed record OrganizationEntry(string Dn, SearchResultEntry? Entry, SmimeOrganizationConfig Config);

    private sealed record OrganizationHead(string Dn, string Name, long Revision);

    // What a round of UpdateRecipients left: changes that lost a race to another writer, and changes of a user the
    // round had already changed.
    private sealed record Round(IReadOnlyList<int> LostRaces, IReadOnlyList<int> Later);

    // One change of a batch: either done without a write, or the modify to send and what to audit.
    private sealed record PlannedWrite(
        int Index,
        SmimeRecipientUpdateResult? Done,
        SearchResultEntry? Entry,
        SmimeRecipient? Current,
        IReadOnlyList<byte[]> Certificates,
        IReadOnlyList<byte[]> Blobs,
        ModifyRequest? Modification,
        IReadOnlyList<SmimeSettingChange> AuditChanges)
    {
        public static PlannedWrite Nothing(SmimeRecipientUpdateResult done) =>
            new(-1, done, null, null, Array.Empty<byte[]>(), Array.Empty<byte[]>(), null, Array.Empty<SmimeSettingChange>());

        // The user as stored once the modify went through.
        public SmimeRecipientUpdateResult Written(DateTime now, SmimeAuditRecord record)
        {
            SmimeRecipient current = Current!;
            var updated = new SmimeRecipient(
                current.Organization,
                current.PrimarySmtpAddress,
                current.ObjectGuid,
                current.WhenCreatedUtc,
                now,
                current.ProxyAddresses,
                Certificates,
                Blobs,
                Entry!.DistinguishedName);
            return new SmimeRecipientUpdateResult(updated, AuditChanges.Skip(1).ToArray(), record);
        }
    }

    // Writers that lost a race wait a random, growing time before reading again, so that two writers changing the
    // same entry in a loop do not keep colliding.
    private static void WaitBeforeAttempt(int attempt, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (attempt > 1)
        {
            int ceiling = Math.Min(MaximumRetryDelay, 5 << Math.Min(attempt, 6));
            cancellationToken.WaitHandle.WaitOne(Random.Shared.Next(1, ceiling));
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    // The entry a recipient was read from, and the store (so the directory) that read it.
    private sealed class EntryRead
    {
        public EntryRead(LdapSmimeStore store, SearchResultEntry entry)
        {
            Store = store;
            Entry = entry;
        }

        public LdapSmimeStore Store { get; }

        public SearchResultEntry Entry { get; }
    }
}
