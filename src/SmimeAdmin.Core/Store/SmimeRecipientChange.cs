using System;
using System.Collections.Generic;
using SmimeAdmin.Core.Settings;

namespace SmimeAdmin.Core.Store;

/// <summary>One recipient change of a batch (<see cref="ISmimeStore.UpdateRecipients"/>).</summary>
public sealed class SmimeRecipientChange
{
    /// <summary>Creates the change.</summary>
    /// <param name="identity">The recipient, as <see cref="ISmimeStore.UpdateRecipient"/> takes it.</param>
    /// <param name="change">Changes a draft of the recipient; may be called more than once.</param>
    /// <param name="createIfMissing">Whether to create the recipient when no recipient has the address.</param>
    /// <param name="lastRead">The recipient as this store last returned it for the identity, if it was read.</param>
    public SmimeRecipientChange(
        string identity,
        Func<SmimeRecipientDraft, IReadOnlyList<SmimeSettingChange>> change,
        bool createIfMissing = false,
        SmimeRecipient? lastRead = null)
    {
        Identity = identity ?? throw new ArgumentNullException(nameof(identity));
        Change = change ?? throw new ArgumentNullException(nameof(change));
        CreateIfMissing = createIfMissing;
        LastRead = lastRead;
    }

    /// <summary>The recipient's primary or a proxy address (or, in a directory, another name of the user).</summary>
    public string Identity { get; }

    /// <summary>Changes a draft of the recipient and returns what it changed.</summary>
    public Func<SmimeRecipientDraft, IReadOnlyList<SmimeSettingChange>> Change { get; }

    /// <summary>Whether to create the recipient when no recipient has the address.</summary>
    public bool CreateIfMissing { get; }

    /// <summary>
    /// The recipient as this store last returned it (<see cref="ISmimeStore.FindRecipients"/>), or
    /// <see langword="null"/>. A store whose writes can state what they expect to replace may start from it instead
    /// of reading the recipient again; a change made since is still detected, and the change is then applied to the
    /// recipient as it is now.
    /// </summary>
    public SmimeRecipient? LastRead { get; }
}
