using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using SmimeAdmin.Core.Baselines;

namespace SmimeAdmin.Commands;

/// <summary>
/// Test-SmimeConfig: compares an organization with a baseline (a configuration file or a hashtable of some settings)
/// or with the built-in recommended baseline, and writes one object per difference; nothing when it complies.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "SmimeConfig", DefaultParameterSetName = BaselineSet)]
[OutputType(typeof(SmimeConfigDifference), typeof(bool))]
public sealed class TestSmimeConfigCommand : SmimeBaselineCmdletBase
{
    private const string BaselineSet = "Baseline";
    private const string RecommendedSet = "Recommended";

    /// <summary>The organization; the session's organization when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(OrganizationCompleter))]
    public string? Identity { get; set; }

    /// <summary>A configuration file's path, or a hashtable of setting names and values.</summary>
    [Parameter(Mandatory = true, ParameterSetName = BaselineSet)]
    [ValidateNotNull]
    public object Baseline { get; set; } = string.Empty;

    /// <summary>Compares with the built-in secure baseline.</summary>
    [Parameter(Mandatory = true, ParameterSetName = RecommendedSet)]
    public SwitchParameter Recommended { get; set; }

    /// <summary>Returns only whether the organization complies.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord() => Run(Identity, () =>
    {
        string organization = ResolveOrganization(Identity);
        IReadOnlyList<SmimeBaselineDifference> differences;
        if (Recommended)
        {
            differences = SmimeRecommendedBaseline.Evaluate(Store.ReadConfig(organization), DateTime.UtcNow);
        }
        else
        {
            if (ReadBaseline() is not (SmimeBaseline baseline, string source))
            {
                return;
            }

            SmimeBaseline actual = ReadOrganization(organization, includeUsers: baseline.Recipients is not null);
            differences = SmimeBaselineComparer.Compare(baseline, actual, source);
        }

        if (Quiet)
        {
            WriteObject(differences.Count == 0);
        }
        else
        {
            WriteDifferences(organization, differences);
        }
    });

    private (SmimeBaseline Baseline, string Source)? ReadBaseline()
    {
        switch (Baseline is PSObject wrapped ? wrapped.BaseObject : Baseline)
        {
            case IDictionary dictionary:
                return (FromDictionary(dictionary), "-" + nameof(Baseline));
            case FileInfo fileInfo:
                return ReadConfigFile(WildcardPattern.Escape(fileInfo.FullName));
            case string path:
                return ReadConfigFile(path);
            default:
                ThrowTerminatingError(new ErrorRecord(
                    new ArgumentException(string.Format(CultureInfo.CurrentCulture, Strings.BaselineNotSupported, Baseline.GetType().FullName)),
                    ErrorMap.InvalidBaseline,
                    ErrorCategory.InvalidArgument,
                    Baseline));
                return null;
        }
    }
}
