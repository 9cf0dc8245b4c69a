using System;
using System.Collections.Generic;
using SmimeAdmin.Core.Settings;

namespace SmimeAdmin.Core.Store;

/// <summary>One change to an organization, as the audit log keeps it.</summary>
public sealed class SmimeAuditRecord
{
    /// <summary>Creates the record. Values of <paramref name="changes"/> are kept in their text form.</summary>
    public SmimeAuditRecord(
        long revision,
        DateTime timeUtc,
        string organization,
        SmimeAuditContext context,
        IReadOnlyList<SmimeSettingChange> changes)
    {
        Revision = revision;
        TimeUtc = timeUtc;
        Organization = organization;
        Context = context;
        Changes = changes;
    }

    /// <summary>The configuration revision the change produced (1 for the first change).</summary>
    public long Revision { get; }

    /// <summary>When the change was saved (UTC).</summary>
    public DateTime TimeUtc { get; }

    /// <summary>The organization changed.</summary>
    public string Organization { get; }

    /// <summary>Who made the change, from where, with which command.</summary>
    public SmimeAuditContext Context { get; }

    /// <summary>Each property's old and new value, as text.</summary>
    public IReadOnlyList<SmimeSettingChange> Changes { get; }
}
