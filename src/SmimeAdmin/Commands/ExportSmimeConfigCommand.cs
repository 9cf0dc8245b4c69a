using System;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using SmimeAdmin.Core.Baselines;

namespace SmimeAdmin.Commands;

/// <summary>
/// Export-SmimeConfig: writes an organization's complete S/MIME state (every setting, the certificate collection with
/// its certificates, optionally the published recipients' thumbprints) to a configuration file.
/// </summary>
[Cmdlet(VerbsData.Export, "SmimeConfig", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ExportSmimeConfigCommand : SmimeBaselineCmdletBase
{
    /// <summary>The organization; the session's organization when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(OrganizationCompleter))]
    public string? Identity { get; set; }

    /// <summary>The file to write.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>Adds every published recipient's address and certificate thumbprints.</summary>
    [Parameter]
    public SwitchParameter IncludeUsers { get; set; }

    /// <summary>Refuses to overwrite an existing file.</summary>
    [Parameter]
    public SwitchParameter NoClobber { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord() => Run(Path, () =>
    {
        string organization = ResolveOrganization(Identity);
        string file = ResolveOutputFile(Path, NoClobber);

        SmimeBaseline baseline = ReadOrganization(organization, IncludeUsers);
        string action = string.Format(
            CultureInfo.CurrentCulture,
            Strings.ExportConfigAction,
            organization,
            baseline.Settings.Count,
            baseline.CertificateCollection?.Count ?? 0,
            baseline.Recipients?.Count ?? 0);
        if (!ShouldProcess(file, action))
        {
            return;
        }

        WriteOutputFile(file, SmimeBaselineFile.Write(baseline));
    });
}
