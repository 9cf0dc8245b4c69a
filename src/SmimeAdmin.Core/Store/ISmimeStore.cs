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
    /// <remarks>
    /// The log holds configuration changes and recipient changes. A recipient change's record carries the
    /// configuration revision in effect when it was made, and its first change names the recipient
    /// (<see cref="SmimeRecipientDraft.PrimarySmtpAddressName"/>).
    /// </remarks>
    /// <exception cref="SmimeStoreException">The log cannot be read or is corrupt.</exception>
    IReadOnlyList<SmimeAuditRecord> ReadAuditLog(string organization);

    /// <summary>Reads the recipient that has an address as its primary or one of its proxy addresses.</summary>
    /// <param name="organization">The organization.</param>
    /// <param name="identity">An SMTP address, compared case-insensitively; an <c>smtp:</c> prefix is allowed.</param>
    /// <returns>The recipient, or <see langword="null"/> when no recipient has the address.</returns>
    /// <exception cref="SmimeOrganizationNameException">The name is not a valid organization name.</exception>
    /// <exception cref="SmimeRecipientAddressException">The identity is not an address the store accepts.</exception>
    /// <exception cref="SmimeStoreException">The stored state cannot be read, is corrupt or too new.</exception>
    SmimeRecipient? ReadRecipient(string organization, string identity);

    /// <summary>Reads every recipient of an organization, ordered by primary address (ordinal, lower case).</summary>
    /// <returns>
    /// The recipients, read as the list is gone through rather than all at once, so that a large organization takes
    /// the memory of one recipient. A recipient removed meanwhile is passed over by the enumerator.
    /// </returns>
    /// <exception cref="SmimeOrganizationNameException">The name is not a valid organization name.</exception>
    /// <exception cref="SmimeStoreException">
    /// The stored state cannot be read, is corrupt or too new; when the list is gone through, for a recipient.
    /// </exception>
    IReadOnlyList<SmimeRecipient> ReadRecipients(string organization);

    /// <summary>Reads the recipients that have each of several identities, as <see cref="ReadRecipient"/> does one.</summary>
    /// <param name="organization">The organization.</param>
    /// <param name="identities">The identities, in any number; the same identity may come more than once.</param>
    /// <returns>
    /// One item per identity, in their order: the recipient, <see langword="null"/> when none has the identity, or why
    /// this identity cannot be read. A directory reads them with a few searches instead of one per identity.
    /// </returns>
    /// <exception cref="SmimeOrganizationNameException">The name is not a valid organization name.</exception>
    IReadOnlyList<SmimeBatchItem<SmimeRecipient>> FindRecipients(string organization, IReadOnlyList<string> identities);

    /// <summary>
    /// Reads, changes and writes one recipient as one step that no other writer of the organization can interleave
    /// with, and records the change in the organization's audit log.
    /// </summary>
    /// <param name="organization">The organization; created on its first change.</param>
    /// <param name="identity">
    /// The recipient's primary or a proxy SMTP address (case-insensitive). A recipient created here gets it as its
    /// primary address.
    /// </param>
    /// <param name="change">
    /// Changes a draft of the recipient through its <c>Set</c> methods (or removes it with
    /// <see cref="SmimeRecipientDraft.Remove"/>) and returns what those reported. It may be called more than once,
    /// so it must depend only on the draft it is given.
    /// </param>
    /// <param name="context">Who is changing, for the audit log.</param>
    /// <param name="createIfMissing">Whether to create the recipient when no recipient has the address.</param>
    /// <param name="cancellationToken">Cancels waiting for the lock.</param>
    /// <returns>
    /// The stored recipient, the changes and the audit record; nothing is written, and nothing audited, when there
    /// are no changes.
    /// </returns>
    /// <exception cref="SmimeOrganizationNameException">The name is not a valid organization name.</exception>
    /// <exception cref="SmimeRecipientAddressException">The identity is not an address the store accepts; nothing was read.</exception>
    /// <exception cref="SmimeRecipientNotFoundException">No recipient has the address and <paramref name="createIfMissing"/> is false.</exception>
    /// <exception cref="SmimeRecipientAddressInUseException">A proxy address the change adds belongs to another recipient.</exception>
    /// <exception cref="SmimeStoreLockTimeoutException">Another writer held the lock too long.</exception>
    /// <exception cref="SmimeStoreException">The stored state cannot be read or written; it is unchanged.</exception>
    SmimeRecipientUpdateResult UpdateRecipient(
        string organization,
        string identity,
        Func<SmimeRecipientDraft, IReadOnlyList<SmimeSettingChange>> change,
        SmimeAuditContext context,
        bool createIfMissing = false,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies several recipient changes, each as <see cref="UpdateRecipient"/> applies one, with the same guarantees
    /// for each: it is applied whole or not at all, another writer's change to the same recipient is not lost, and it is
    /// audited. The changes are applied in their order; two changes of the same recipient see each other.
    /// </summary>
    /// <param name="organization">The organization; created on its first change.</param>
    /// <param name="changes">The changes.</param>
    /// <param name="context">Who is changing, for the audit log.</param>
    /// <param name="cancellationToken">Cancels waiting for the lock, between changes.</param>
    /// <returns>
    /// One item per change, in their order: its result, or why it failed (the exceptions
    /// <see cref="UpdateRecipient"/> documents). A failure of one change does not stop the others, so when the store
    /// becomes unreachable half-way the items say which changes were written and which were not.
    /// </returns>
    /// <exception cref="SmimeOrganizationNameException">The name is not a valid organization name.</exception>
    IReadOnlyList<SmimeBatchItem<SmimeRecipientUpdateResult>> UpdateRecipients(
        string organization,
        IReadOnlyList<SmimeRecipientChange> changes,
        SmimeAuditContext context,
        CancellationToken cancellationToken = default);
}
