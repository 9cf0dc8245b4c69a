using System.Collections.Generic;
using SmimeAdmin.Core.Settings;

namespace SmimeAdmin.Core.Store;

/// <summary>What an update of a recipient did.</summary>
public sealed class SmimeRecipientUpdateResult
{
    /// <summary>Creates the result.</summary>
    public SmimeRecipientUpdateResult(SmimeRecipient? recipient, IReadOnlyList<SmimeSettingChange> changes, SmimeAuditRecord? auditRecord)
    {
        Recipient = recipient;
        Changes = changes;
        AuditRecord = auditRecord;
    }

    /// <summary>
    /// The recipient as stored after the update; <see langword="null"/> when it was removed, or when it did not exist
    /// and was not created.
    /// </summary>
    public SmimeRecipient? Recipient { get; }

    /// <summary>The changes the change function reported; empty when nothing changed and nothing was written.</summary>
    public IReadOnlyList<SmimeSettingChange> Changes { get; }

    /// <summary>The audit record written; <see langword="null"/> when nothing was written.</summary>
    public SmimeAuditRecord? AuditRecord { get; }
}
