using System.Management.Automation;
using SmimeAdmin.Core.Baselines;

namespace SmimeAdmin.Commands;

/// <summary>
/// Compare-SmimeConfig: compares two organizations, an organization and a configuration file, or two files, and
/// writes one object per difference (Expected: the reference's value, Actual: the difference side's).
/// </summary>
[Cmdlet(VerbsData.Compare, "SmimeConfig", DefaultParameterSetName = OrganizationsSet)]
[OutputType(typeof(SmimeConfigDifference))]
public sealed class CompareSmimeConfigCommand : SmimeBaselineCmdletBase
{
    private const string OrganizationsSet = "Organizations";
    private const string ReferenceFileSet = "ReferenceFile";
    private const string DifferenceFileSet = "DifferenceFile";
    private const string FilesSet = "Files";

    /// <summary>The reference organization.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = OrganizationsSet)]
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = DifferenceFileSet)]
    [ArgumentCompleter(typeof(OrganizationCompleter))]
    [ValidateNotNullOrEmpty]
    public string ReferenceIdentity { get; set; } = string.Empty;

    /// <summary>The organization compared with the reference.</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = OrganizationsSet)]
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = ReferenceFileSet)]
    [ArgumentCompleter(typeof(OrganizationCompleter))]
    [ValidateNotNullOrEmpty]
    public string DifferenceIdentity { get; set; } = string.Empty;

    /// <summary>A configuration file as the reference.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ReferenceFileSet)]
    [Parameter(Mandatory = true, ParameterSetName = FilesSet)]
    [ValidateNotNullOrEmpty]
    public string ReferencePath { get; set; } = string.Empty;

    /// <summary>A configuration file compared with the reference.</summary>
    [Parameter(Mandatory = true, ParameterSetName = DifferenceFileSet)]
    [Parameter(Mandatory = true, ParameterSetName = FilesSet)]
    [ValidateNotNullOrEmpty]
    public string DifferencePath { get; set; } = string.Empty;

    /// <summary>Also compares the published recipients of the organizations compared.</summary>
    [Parameter]
    public SwitchParameter IncludeUsers { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord() => Run(null, () =>
    {
        bool referenceIsFile = ParameterSetName is ReferenceFileSet or FilesSet;
        bool differenceIsFile = ParameterSetName is DifferenceFileSet or FilesSet;
        (SmimeBaseline Baseline, string Name)? reference = null;
        (SmimeBaseline Baseline, string Name)? difference = null;
        if (referenceIsFile && (reference = ReadConfigFile(ReferencePath)) is null)
        {
            return;
        }

        if (differenceIsFile && (difference = ReadConfigFile(DifferencePath)) is null)
        {
            return;
        }

        // An organization is compared with a file's recipients whenever the file has them.
        bool includeUsers = IncludeUsers || reference?.Baseline.Recipients is not null || difference?.Baseline.Recipients is not null;
        reference ??= ReadNamedOrganization(ReferenceIdentity, includeUsers);
        difference ??= ReadNamedOrganization(DifferenceIdentity, includeUsers);
        WriteDifferences(
            difference.Value.Name,
            SmimeBaselineComparer.Compare(reference.Value.Baseline, difference.Value.Baseline, reference.Value.Name, difference.Value.Name));
    });

    private (SmimeBaseline, string) ReadNamedOrganization(string identity, bool includeUsers)
    {
        string organization = ResolveOrganization(identity);
        return (ReadOrganization(organization, includeUsers), organization);
    }
}
