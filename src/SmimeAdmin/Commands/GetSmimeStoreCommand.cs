using System.Management.Automation;

namespace SmimeAdmin.Commands;

/// <summary>Get-SmimeStore: which store and organization the session uses, and what the store holds.</summary>
[Cmdlet(VerbsCommon.Get, "SmimeStore")]
[OutputType(typeof(SmimeStoreInfo))]
public sealed class GetSmimeStoreCommand : SmimeCmdletBase
{
    /// <inheritdoc/>
    protected override void ProcessRecord() => Run(null, () => WriteObject(Describe(Session)));

    internal static SmimeStoreInfo Describe(SmimeSession session) => new(
        session.Store,
        session.Organization,
        session.Source,
        session.Store.GetOrganizations());
}
