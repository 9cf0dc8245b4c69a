using System;
using System.Collections.Generic;
using System.Linq;

namespace SmimeAdmin.Core.Publishing;

/// <summary>What a sync did: counts, and each recipient's outcome.</summary>
public sealed class SmimeSyncResult
{
    /// <summary>Creates the result from the recipients' outcomes.</summary>
    /// <param name="items">Every recipient looked at.</param>
    /// <param name="error">The failure that ended the run early, if any.</param>
    public SmimeSyncResult(IReadOnlyList<SmimeSyncItem> items, Exception? error = null)
    {
        Items = items;
        Error = error;
        Added = items.Count(item => item.Action == SmimeSyncAction.Added);
        Updated = items.Count(item => item.Action == SmimeSyncAction.Updated);
        Removed = items.Count(item => item.Action == SmimeSyncAction.Removed);
        Unchanged = items.Count(item => item.Action == SmimeSyncAction.Unchanged);
        Skipped = items.Count(item => item.Action == SmimeSyncAction.Skipped);
        Failed = items.Count(item => item.Action == SmimeSyncAction.Failed);
        InvalidCertificates = items.Sum(item => item.Action == SmimeSyncAction.Failed && item.Error is not null ? item.Problems.Count - 1 : item.Problems.Count);
    }

    /// <summary>
    /// The failure that ended the run before the destination's recipients were checked for removals (the destination
    /// could not be listed); <see langword="null"/> when the run was complete.
    /// </summary>
    public Exception? Error { get; }

    /// <summary>Every recipient looked at, in the order done.</summary>
    public IReadOnlyList<SmimeSyncItem> Items { get; }

    /// <summary>Recipients that got certificates they did not have.</summary>
    public int Added { get; }

    /// <summary>Recipients whose certificates were replaced.</summary>
    public int Updated { get; }

    /// <summary>Recipients whose certificates were removed.</summary>
    public int Removed { get; }

    /// <summary>Recipients already in step.</summary>
    public int Unchanged { get; }

    /// <summary>Recipients with a change due that was not written (-WhatIf).</summary>
    public int Skipped { get; }

    /// <summary>Recipients that could not be written.</summary>
    public int Failed { get; }

    /// <summary>Certificates and blobs not copied because they failed validation.</summary>
    public int InvalidCertificates { get; }
}
