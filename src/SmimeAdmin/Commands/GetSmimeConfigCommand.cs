using System.Management.Automation;

namespace SmimeAdmin.Commands;

/// <summary>Get-SmimeConfig: an organization's S/MIME configuration, Exchange's defaults when never configured.</summary>
[Cmdlet(VerbsCommon.Get, "SmimeConfig")]
[OutputType(typeof(SmimeConfig))]
public sealed class GetSmimeConfigCommand : SmimeCmdletBase
{
    /// <summary>The organization; the session's organization when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(OrganizationCompleter))]
    public string? Identity { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord() => Run(Identity, () =>
        WriteObject(new SmimeConfig(Store.ReadConfig(ResolveOrganization(Identity)))));
}
