using System;
using System.Collections.Generic;
using System.Threading;
using SmimeAdmin.Core.Settings;

namespace SmimeAdmin.Core.Store;

/// <summary>
/// Where organizations keep their S/MIME state. Every provider gives the same guarantees: a change is applied
/// whole or not at all, concurrent writers do not lose each other's changes, and every change is audited.
/// </summary>
public interface ISmimeStore
{
    /// <summary>The provider's name, e.g. Folder.</summary>
    string ProviderName { get; }

    /// <summary>Where the store lives (a folder path or a directory URI).</summary>
    string Location { get; }

    /// <summary>The organizations stored so far.</summary>
    /// <exception cref="SmimeStoreException">The store cannot be read.</exception>
    IReadOnlyList<string> GetOrganizations();

    /// <summary>Reads an organization's configuration; Exchange's defaults when it was never configured.</summary>
    /// <exception cref="SmimeOrganizationNameException">The name is not a valid organization name.</exception>
    /// <exception cref="SmimeStoreException">The stored state cannot be read, is corrupt or too new.</exception>
    SmimeOrganizationConfig ReadConfig(string organization);

    /// <summary>
    /// Reads, changes and writes an organization's settings and certificate collection as one step that no other
    /// writer can interleave with.
    /// </summary>
    /// <param name="organization">The organization; created on its first change.</param>
    /// <param name="change">
    /// Changes a draft of the current state and returns what it changed. It may be called more than once (the
    /// store may try it on the defaults first), so it must depend only on the draft it is given.
    /// </param>
    /// <param name="context">Who is changing, for the audit log.</param>
    /// <param name="cancellationToken">Cancels waiting for the lock.</param>
    /// <returns>The stored configuration and the changes; nothing is written when there are none.</returns>
    /// <exception cref="SmimeStoreLockTimeoutException">Another writer held the lock too long.</exception>
    /// <exception cref="SmimeStoreException">The stored state cannot be read or written; it is unchanged.</exception>
    SmimeConfigUpdateResult UpdateConfig(
        string organization,
        Func<SmimeConfigDraft, IReadOnlyList<SmimeSettingChange>> change,
        SmimeAuditContext context,
        CancellationToken cancellationToken = default);

    /// <summary>Reads an organization's audit log, oldest first.</summary>
    /// <exception cref="SmimeStoreException">The log cannot be read or is corrupt.</exception>
    IReadOnlyList<SmimeAuditRecord> ReadAuditLog(string organization);
}
