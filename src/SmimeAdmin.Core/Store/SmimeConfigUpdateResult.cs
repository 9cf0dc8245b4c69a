using System.Collections.Generic;
using SmimeAdmin.Core.Settings;

namespace SmimeAdmin.Core.Store;

/// <summary>What an update of an organization's configuration did.</summary>
public sealed class SmimeConfigUpdateResult
{
    /// <summary>Creates the result.</summary>
    public SmimeConfigUpdateResult(SmimeOrganizationConfig config, IReadOnlyList<SmimeSettingChange> changes)
    {
        Config = config;
        Changes = changes;
    }

    /// <summary>The configuration as stored after the update.</summary>
    public SmimeOrganizationConfig Config { get; }

    /// <summary>The changes made; empty when nothing changed and nothing was written.</summary>
    public IReadOnlyList<SmimeSettingChange> Changes { get; }
}
