using System;
using System.Globalization;
using System.Management.Automation;
using SmimeAdmin.Core.Baselines;

namespace SmimeAdmin.Commands;

/// <summary>
/// Import-SmimeConfig: applies a configuration file to an organization, all or nothing: every setting through
/// Set-SmimeConfig's validation, the collection through Set-SmimeCertificateCollection's rules, in one stored change.
/// </summary>
[Cmdlet(VerbsData.Import, "SmimeConfig", SupportsShouldProcess = true)]
[OutputType(typeof(SmimeConfig))]
public sealed class ImportSmimeConfigCommand : SmimeBaselineCmdletBase
{
    /// <summary>The configuration file, as Export-SmimeConfig writes it.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>The organization; the session's organization when omitted.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(OrganizationCompleter))]
    public string? Identity { get; set; }

    /// <summary>Writes the configuration as stored afterwards.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord() => Run(Path, () =>
    {
        if (ReadConfigFile(Path) is not (SmimeBaseline baseline, string file))
        {
            return;
        }

        string organization = ResolveOrganization(Identity);
        SmimeBaselineImport import = SmimeBaselineImport.Prepare(baseline, file, DateTime.UtcNow);
        foreach (string warning in import.Warnings)
        {
            WriteWarning(warning);
        }

        if (baseline.Recipients is { Count: > 0 } recipients)
        {
            WriteWarning(string.Format(CultureInfo.CurrentCulture, Strings.RecipientsNotImported, recipients.Count, file));
        }

        // One update: the settings and the collection are stored together or not at all.
        UpdateConfig(organization, import.ApplyTo, changes => string.Format(CultureInfo.CurrentCulture, Strings.ImportConfigAction, file, changes), PassThru);
    });
}
