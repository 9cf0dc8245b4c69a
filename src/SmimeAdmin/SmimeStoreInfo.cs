using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using SmimeAdmin.Core.Store;

namespace SmimeAdmin;

/// <summary>The store a session uses, as Get-SmimeStore shows it.</summary>
public sealed class SmimeStoreInfo
{
    internal SmimeStoreInfo(ISmimeStore store, string organization, string source, IReadOnlyList<string> organizations)
        : this(store.ProviderName, store.Location, organization, source, organizations)
    {
        Store = store;
    }

    internal SmimeStoreInfo(string provider, string location, string organization, string source, IReadOnlyList<string> organizations)
    {
        Provider = provider;
        Location = location;
        Organization = organization;
        Source = source;
        Organizations = new List<string>(organizations).ToArray();
    }

    /// <summary>The connected store itself, so that Sync-UserSmimeCertificate can read from it later.</summary>
    internal ISmimeStore? Store { get; }

    /// <summary>The store provider, e.g. Folder.</summary>
    public string Provider { get; }

    /// <summary>Where the store lives.</summary>
    public string Location { get; }

    /// <summary>The organization cmdlets use when -Identity is omitted.</summary>
    public string Organization { get; }

    /// <summary>What chose the store: Connect-SmimeStore, $env:SMIMEADMIN_STORE or Default.</summary>
    public string Source { get; }

    /// <summary>The organizations stored so far.</summary>
    [SuppressMessage("Performance", "CA1819:Properties should not return arrays", Justification = "A plain array reads best in PowerShell.")]
    public string[] Organizations { get; }
}
