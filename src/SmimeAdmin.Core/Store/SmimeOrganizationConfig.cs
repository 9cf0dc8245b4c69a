using System;
using System.Collections.Generic;
using SmimeAdmin.Core.Settings;

namespace SmimeAdmin.Core.Store;

/// <summary>An organization's stored S/MIME configuration and its object metadata.</summary>
public sealed class SmimeOrganizationConfig
{
    /// <summary>Creates the record.</summary>
    public SmimeOrganizationConfig(
        string organization,
        Guid objectGuid,
        DateTime? whenCreatedUtc,
        DateTime? whenChangedUtc,
        SmimeSettings settings,
        string location,
        long revision = 0,
        SmimeAuditRecord? lastChange = null,
        SmimeCertificateCollectionRecord? certificateCollection = null)
    {
        Organization = organization;
        ObjectGuid = objectGuid;
        WhenCreatedUtc = whenCreatedUtc;
        WhenChangedUtc = whenChangedUtc;
        Settings = settings;
        Location = location;
        Revision = revision;
        LastChange = lastChange;
        CertificateCollection = certificateCollection;
    }

    /// <summary>The organization's name as first stored.</summary>
    public string Organization { get; }

    /// <summary>The object's identifier; <see cref="Guid.Empty"/> until first saved.</summary>
    public Guid ObjectGuid { get; }

    /// <summary>When the configuration was first saved (UTC); <see langword="null"/> until then.</summary>
    public DateTime? WhenCreatedUtc { get; }

    /// <summary>When the configuration was last changed (UTC); <see langword="null"/> until first saved.</summary>
    public DateTime? WhenChangedUtc { get; }

    /// <summary>The settings; Exchange's defaults for an organization never configured.</summary>
    public SmimeSettings Settings { get; }

    /// <summary>The virtual certificate collection; <see langword="null"/> when none is stored.</summary>
    public SmimeCertificateCollectionRecord? CertificateCollection { get; }

    /// <summary>Where the configuration lives (a file path, or a directory entry's DN).</summary>
    public string Location { get; }

    /// <summary>How many changes have been saved; 0 until the first.</summary>
    public long Revision { get; }

    /// <summary>
    /// The audit record of the change that produced this revision. The store keeps it with the configuration so
    /// that a writer killed between saving the configuration and appending to the audit log loses no record.
    /// </summary>
    public SmimeAuditRecord? LastChange { get; }

    /// <summary>Whether the configuration has never been saved (Exchange's ObjectState New).</summary>
    public bool IsNew => WhenCreatedUtc is null;

    /// <summary>
    /// The next revision of this configuration: the draft's settings and collection, a new identifier when it was never
    /// saved, and <paramref name="changes"/> as its audit record, made at <paramref name="nowUtc"/>.
    /// </summary>
    internal SmimeOrganizationConfig Next(SmimeConfigDraft draft, SmimeAuditContext context, IReadOnlyList<SmimeSettingChange> changes, DateTime nowUtc)
    {
        var record = new SmimeAuditRecord(Revision + 1, nowUtc, Organization, context, changes);
        return new SmimeOrganizationConfig(
            Organization,
            IsNew ? Guid.NewGuid() : ObjectGuid,
            WhenCreatedUtc ?? nowUtc,
            nowUtc,
            draft.Settings,
            Location,
            record.Revision,
            record,
            draft.CertificateCollection);
    }
}
