using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using SmimeAdmin.Core.Settings;

namespace SmimeAdmin.Core.Store;

/// <summary>
/// The embedded store: a folder of plain, versioned files that an administrator can back up and diff.
/// </summary>
/// <remarks>
/// Layout (see docs/store-format.md): <c>store.json</c> marks the folder and its schema version;
/// <c>organizations/&lt;name&gt;/</c> holds <c>config.json</c>, the append-only <c>audit.jsonl</c>, the
/// <c>.lock</c> file that serializes writers, and the recipients (<see cref="RecipientFolder"/>). Every write goes
/// through <see cref="AtomicFile"/>, every read-modify-write holds <see cref="FileLock"/>.
/// </remarks>
public sealed class FileSmimeStore : ISmimeStore
{
    /// <summary>The provider name shown by Get-SmimeStore.</summary>
    public const string Provider = "Folder";

    internal const string StoreFileName = "store.json";
    internal const string StoreFormat = "SmimeAdmin.Store";
    internal const int StoreSchemaVersion = 1;
    internal const string OrganizationsFolderName = "organizations";
    internal const string LockFileName = ".lock";

    private readonly FileSmimeStoreOptions _options;
    private readonly string _organizationsFolder;

    /// <summary>Opens (without creating) the store in <paramref name="folder"/>.</summary>
    /// <exception cref="SmimeStoreException">The folder holds a store of a newer schema or a corrupt marker file.</exception>
    public FileSmimeStore(string folder, FileSmimeStoreOptions? options = null)
    {
        if (string.IsNullOrEmpty(folder))
        {
            throw new ArgumentException(Strings.StorePathEmpty, nameof(folder));
        }

        Location = Path.GetFullPath(folder);
        _options = options ?? new FileSmimeStoreOptions();
        _organizationsFolder = Path.Combine(Location, OrganizationsFolderName);
        CheckStoreMarker();
    }

    /// <inheritdoc/>
    public string ProviderName => Provider;

    /// <inheritdoc/>
    public string Location { get; }

    /// <inheritdoc/>
    public IReadOnlyList<string> GetOrganizations() => Guard(_organizationsFolder, () =>
        Directory.Exists(_organizationsFolder)
            ? Directory.EnumerateDirectories(_organizationsFolder)
                .Select(Path.GetFileName)
                .OrderBy(name => name, StringComparer.OrdinalIgnoreCase)
                .ToArray()!
            : Array.Empty<string>());

    /// <inheritdoc/>
    public SmimeOrganizationConfig ReadConfig(string organization)
    {
        OrganizationName.Validate(organization);
        string? folder = FindOrganizationFolder(organization);
        return folder is null
            ? Unsaved(organization, Path.Combine(_organizationsFolder, organization, ConfigFile.FileName))
            : ReadConfigFrom(folder);
    }

    /// <inheritdoc/>
    public SmimeConfigUpdateResult UpdateConfig(
        string organization,
        Func<SmimeConfigDraft, IReadOnlyList<SmimeSettingChange>> change,
        SmimeAuditContext context,
        CancellationToken cancellationToken = default)
    {
        if (change is null)
        {
            throw new ArgumentNullException(nameof(change));
        }

        if (context is null)
        {
            throw new ArgumentNullException(nameof(context));
        }

        OrganizationName.Validate(organization);
        if (FindOrganizationFolder(organization) is null)
        {
            // A change that changes nothing must not create the organization.
            SmimeOrganizationConfig unsaved = ReadConfig(organization);
            if (change(new SmimeConfigDraft(unsaved.Settings.Clone(), null)).Count == 0)
            {
                return new SmimeConfigUpdateResult(unsaved, Array.Empty<SmimeSettingChange>());
            }
        }

        string folder = FindOrCreateOrganizationFolder(organization, cancellationToken);
        return Guard(folder, () =>
        {
            using (FileLock.Acquire(Path.Combine(folder, LockFileName), _options.LockTimeout, cancellationToken))
            {
                AtomicFile.RemoveLeftovers(folder);
                SmimeOrganizationConfig current = ReadConfigFrom(folder);
                RemoveUnreferencedCollections(folder, current);
                var draft = new SmimeConfigDraft(current.Settings.Clone(), current.CertificateCollection);
                IReadOnlyList<SmimeSettingChange> changes = change(draft);
                if (changes.Count == 0)
                {
                    return new SmimeConfigUpdateResult(current, changes);
                }

                SmimeOrganizationConfig updated = current.Next(draft, context, changes, _options.UtcNow());
                SmimeAuditRecord record = updated.LastChange!;

                using (AuditLogFile.Appender audit = AuditLogFile.OpenForAppend(Path.Combine(folder, AuditLogFile.FileName)))
                {
                    // A recipient change a killed writer left goes into the log before this one.
                    bool appendedPrevious = RecipientFolder.ResolvePendingChange(folder, audit, current.LastChange);

                    // A new collection goes to a file of its own name first; the configuration, written next, is the
                    // commit point that starts referring to it. Its copy of the audit record covers a kill before the append.
                    if (updated.CertificateCollection is SmimeCertificateCollectionRecord collection
                        && collection.Sha256 != current.CertificateCollection?.Sha256)
                    {
                        AtomicFile.Write(
                            Path.Combine(folder, ConfigFile.CollectionFileName(collection.Sha256)),
                            collection.SerializedStoreUnsafe);
                    }

                    AtomicFile.Write(current.Location, ConfigFile.Serialize(updated));
                    audit.Append(appendedPrevious ? null : current.LastChange, record);
                }

                RemoveUnreferencedCollections(folder, updated);

                return new SmimeConfigUpdateResult(updated, changes);
            }
        });
    }

    /// <inheritdoc/>
    public IReadOnlyList<SmimeAuditRecord> ReadAuditLog(string organization)
    {
        OrganizationName.Validate(organization);
        string? folder = FindOrganizationFolder(organization);
        if (folder is null)
        {
            return Array.Empty<SmimeAuditRecord>();
        }

        string path = Path.Combine(folder, AuditLogFile.FileName);
        List<SmimeAuditRecord> records = Guard(path, () => AuditLogFile.Read(path));
        AuditLogFile.Complete(records, ReadConfigFrom(folder));
        return Guard(folder, () =>
        {
            RecipientFolder.CompleteAuditLog(records, folder);
            return records;
        });
    }

    /// <inheritdoc/>
    public SmimeRecipient? ReadRecipient(string organization, string identity)
    {
        OrganizationName.Validate(organization);
        string address = RecipientAddress.Validate(identity);
        string? folder = FindOrganizationFolder(organization);
        return folder is null ? null : Guard(folder, () => new RecipientFolder(folder).Find(address));
    }

    /// <inheritdoc/>
    public IReadOnlyList<SmimeRecipient> ReadRecipients(string organization)
    {
        OrganizationName.Validate(organization);
        string? folder = FindOrganizationFolder(organization);
        return folder is null ? Array.Empty<SmimeRecipient>() : Guard(folder, () => new RecipientFolder(folder).List());
    }

    /// <inheritdoc/>
    public SmimeRecipientUpdateResult UpdateRecipient(
        string organization,
        string identity,
        Func<SmimeRecipientDraft, IReadOnlyList<SmimeSettingChange>> change,
        SmimeAuditContext context,
        bool createIfMissing = false,
        CancellationToken cancellationToken = default)
    {
        if (change is null)
        {
            throw new ArgumentNullException(nameof(change));
        }

        if (context is null)
        {
            throw new ArgumentNullException(nameof(context));
        }

        OrganizationName.Validate(organization);
        string address = RecipientAddress.Validate(identity);
        string? folder = FindOrganizationFolder(organization);
        if (folder is null)
        {
            if (!createIfMissing)
            {
                throw new SmimeRecipientNotFoundException(organization, address);
            }

            // A change that changes nothing must not create the organization.
            if (change(new SmimeRecipientDraft(address)).Count == 0)
            {
                return new SmimeRecipientUpdateResult(null, Array.Empty<SmimeSettingChange>(), null);
            }

            folder = FindOrCreateOrganizationFolder(organization, cancellationToken);
        }

        return Guard(folder, () =>
        {
            using (FileLock.Acquire(Path.Combine(folder, LockFileName), _options.LockTimeout, cancellationToken))
            {
                AtomicFile.RemoveLeftovers(folder);
                return new RecipientFolder(folder).Update(address, change, context, createIfMissing, _options.UtcNow());
            }
        });
    }

    /// <inheritdoc/>
    /// <remarks>Reads each recipient in turn; recipients are files of their own, so a batch saves nothing here.</remarks>
    public IReadOnlyList<SmimeBatchItem<SmimeRecipient>> FindRecipients(string organization, IReadOnlyList<string> identities)
    {
        OrganizationName.Validate(organization);
        return (identities ?? throw new ArgumentNullException(nameof(identities)))
            .Select(identity => SmimeBatchItem.Run<SmimeRecipient>(identity, () => ReadRecipient(organization, identity)))
            .ToArray();
    }

    /// <inheritdoc/>
    /// <remarks>Applies each change in turn, each under the organization's lock as <see cref="UpdateRecipient"/> does.</remarks>
    public IReadOnlyList<SmimeBatchItem<SmimeRecipientUpdateResult>> UpdateRecipients(
        string organization,
        IReadOnlyList<SmimeRecipientChange> changes,
        SmimeAuditContext context,
        CancellationToken cancellationToken = default)
    {
        OrganizationName.Validate(organization);
        var items = new List<SmimeBatchItem<SmimeRecipientUpdateResult>>();
        foreach (SmimeRecipientChange item in changes ?? throw new ArgumentNullException(nameof(changes)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            items.Add(SmimeBatchItem.Run<SmimeRecipientUpdateResult>(
                item.Identity,
                () => UpdateRecipient(organization, item.Identity, item.Change, context, item.CreateIfMissing, cancellationToken)));
        }

        return items;
    }

    // Collection files the configuration no longer names: the replaced ones, or one a killed writer never committed.
    private static void RemoveUnreferencedCollections(string folder, SmimeOrganizationConfig config)
    {
        string? keep = config.CertificateCollection is SmimeCertificateCollectionRecord collection
            ? ConfigFile.CollectionFileName(collection.Sha256)
            : null;
        foreach (string file in Directory.EnumerateFiles(folder, "collection.*.sst"))
        {
            if (!string.Equals(Path.GetFileName(file), keep, StringComparison.Ordinal))
            {
                File.Delete(file);
            }
        }
    }

    private static SmimeOrganizationConfig Unsaved(string organization, string location) =>
        new(organization, Guid.Empty, null, null, new SmimeSettings(), location);

    private static SmimeOrganizationConfig ReadConfigFrom(string folder)
    {
        string path = Path.Combine(folder, ConfigFile.FileName);
        byte[]? content = Guard(path, () => AtomicFile.ReadIfExists(path));
        return content is null ? Unsaved(Path.GetFileName(folder), path) : ConfigFile.Deserialize(content, path);
    }

    // Organization names compare case-insensitively on every platform; the folder keeps the case first used.
    private string? FindOrganizationFolder(string organization) => Guard(_organizationsFolder, () =>
        Directory.Exists(_organizationsFolder)
            ? Directory.EnumerateDirectories(_organizationsFolder)
                .FirstOrDefault(path => string.Equals(Path.GetFileName(path), organization, StringComparison.OrdinalIgnoreCase))
            : null);

    private string FindOrCreateOrganizationFolder(string organization, CancellationToken cancellationToken)
    {
        string? existing = FindOrganizationFolder(organization);
        if (existing is not null)
        {
            return existing;
        }

        return Guard(Location, () =>
        {
            Directory.CreateDirectory(_organizationsFolder);

            // The store-wide lock keeps two processes from creating "Contoso" and "contoso" side by side.
            using (FileLock.Acquire(Path.Combine(Location, LockFileName), _options.LockTimeout, cancellationToken))
            {
                string storeFile = Path.Combine(Location, StoreFileName);
                if (!File.Exists(storeFile))
                {
                    AtomicFile.Write(storeFile, JsonStoreFile.Write(StoreFormat, StoreSchemaVersion, _ => { }));
                }

                string folder = FindOrganizationFolder(organization) ?? Path.Combine(_organizationsFolder, organization);
                Directory.CreateDirectory(folder);
                return folder;
            }
        });
    }

    private void CheckStoreMarker()
    {
        string path = Path.Combine(Location, StoreFileName);
        byte[]? content = Guard(path, () => AtomicFile.ReadIfExists(path));
        if (content is not null)
        {
            JsonStoreFile.Read(content, path, StoreFormat, StoreSchemaVersion, _ => true);
        }
    }

    // Turns the file system's own exceptions into store errors that name the path; store errors pass through.
    internal static T Guard<T>(string path, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (IOException ex)
        {
            throw new SmimeStoreException(ex.Message, path, ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new SmimeStoreException(ex.Message, path, ex);
        }
    }
}
