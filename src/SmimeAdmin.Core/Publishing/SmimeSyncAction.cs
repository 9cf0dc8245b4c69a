namespace SmimeAdmin.Core.Publishing;

/// <summary>What a sync did with one recipient.</summary>
public enum SmimeSyncAction
{
    /// <summary>The destination already had exactly the certificates to copy; nothing was written.</summary>
    Unchanged = 0,

    /// <summary>The destination had no certificates for the recipient; they were written.</summary>
    Added = 1,

    /// <summary>The destination's certificates differed and were replaced.</summary>
    Updated = 2,

    /// <summary>The source has no (valid) certificates any more; the destination's were removed.</summary>
    Removed = 3,

    /// <summary>A change was due but not written (-WhatIf, or declined at a confirmation prompt).</summary>
    Skipped = 4,

    /// <summary>The recipient could not be written (not in the destination directory, the store failed).</summary>
    Failed = 5,
}
