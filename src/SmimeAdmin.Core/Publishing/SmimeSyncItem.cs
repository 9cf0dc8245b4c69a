using System;
using System.Collections.Generic;

namespace SmimeAdmin.Core.Publishing;

/// <summary>One recipient's outcome in a sync.</summary>
public sealed class SmimeSyncItem
{
    /// <summary>Creates the outcome.</summary>
    public SmimeSyncItem(string address, SmimeSyncAction action, IReadOnlyList<string> problems, bool written, Exception? error = null)
    {
        Address = address;
        Action = action;
        Problems = problems;
        Written = written;
        Error = error;
    }

    /// <summary>The recipient's primary SMTP address.</summary>
    public string Address { get; }

    /// <summary>What was done.</summary>
    public SmimeSyncAction Action { get; }

    /// <summary>
    /// Why certificates were not copied (each names the certificate and the validation failure), and for a failed
    /// recipient, the store's error last.
    /// </summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>Whether the destination was written for this recipient.</summary>
    public bool Written { get; }

    /// <summary>The store's exception when <see cref="Action"/> is <see cref="SmimeSyncAction.Failed"/>.</summary>
    public Exception? Error { get; }
}
