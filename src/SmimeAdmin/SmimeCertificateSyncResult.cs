using System.Collections.Generic;
using System.Linq;
using SmimeAdmin.Core.Publishing;

namespace SmimeAdmin;

/// <summary>What Sync-UserSmimeCertificate did.</summary>
public sealed class SmimeCertificateSyncResult
{
    internal SmimeCertificateSyncResult(string source, string destination, string organization, SmimeSyncResult result)
    {
        Source = source;
        Destination = destination;
        Organization = organization;
        Added = result.Added;
        Updated = result.Updated;
        Removed = result.Removed;
        Unchanged = result.Unchanged;
        Skipped = result.Skipped;
        Failed = result.Items.Count(item => item.Action == SmimeSyncAction.Failed || item.Problems.Count > 0);
        NotWritten = result.Items.Where(item => item.Action == SmimeSyncAction.Failed).Select(item => item.Address).ToArray();
        Items = result.Items;
        Complete = result.Error is null;
    }

    /// <summary>Whether the destination's recipients were checked for removals; false when it failed before that.</summary>
    public bool Complete { get; }

    /// <summary>The source store's location and organization.</summary>
    public string Source { get; }

    /// <summary>The destination store's location.</summary>
    public string Destination { get; }

    /// <summary>The destination organization.</summary>
    public string Organization { get; }

    /// <summary>Recipients that got certificates they did not have.</summary>
    public int Added { get; }

    /// <summary>Recipients whose certificates were replaced.</summary>
    public int Updated { get; }

    /// <summary>Recipients whose certificates were removed because the source no longer has them.</summary>
    public int Removed { get; }

    /// <summary>Recipients already in step; nothing was written for them.</summary>
    public int Unchanged { get; }

    /// <summary>Recipients with a change due that -WhatIf (or a declined confirmation) kept from being written.</summary>
    public int Skipped { get; }

    /// <summary>Recipients with a failure: a certificate that did not validate, or a write the store refused.</summary>
    public int Failed { get; }

    /// <summary>The recipients whose change was not written because the store failed; a re-run retries them.</summary>
    public string[] NotWritten { get; }

    /// <summary>Each recipient's outcome.</summary>
    public IReadOnlyList<SmimeSyncItem> Items { get; }
}
