using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using SmimeAdmin.Core.Certificates;

namespace SmimeAdmin.Commands;

/// <summary>
/// Remove-SmimeCertificateCollectionEntry: removes certificates, by thumbprint, from the organization's virtual
/// certificate collection. Everything piped in is removed in one change, checked as a whole.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "SmimeCertificateCollectionEntry", SupportsShouldProcess = true)]
[OutputType(typeof(SmimeCertificateInfo))]
public sealed class RemoveSmimeCertificateCollectionEntryCommand : SmimeCollectionCmdletBase
{
    // Thumbprints by organization, in the order they came: piped entries may belong to several collections.
    private readonly Dictionary<string, List<string>> _thumbprints = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The thumbprints of the certificates to remove.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Thumbprint { get; set; } = Array.Empty<string>();

    /// <summary>The organization; the session's organization when omitted.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Organization")]
    [ArgumentCompleter(typeof(OrganizationCompleter))]
    public string? Identity { get; set; }

    /// <summary>Writes the collection as it is after the removal.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord() => Run(Identity, () =>
    {
        string organization = ResolveOrganization(Identity);
        if (!_thumbprints.TryGetValue(organization, out List<string>? thumbprints))
        {
            thumbprints = new List<string>();
            _thumbprints.Add(organization, thumbprints);
        }

        thumbprints.AddRange(Thumbprint.Select(thumbprint => thumbprint.Replace(" ", string.Empty).ToUpperInvariant()));
    });

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        foreach (KeyValuePair<string, List<string>> request in _thumbprints)
        {
            Run(request.Key, () => Remove(request.Key, request.Value));
        }
    }

    private void Remove(string organization, List<string> thumbprints)
    {
        SmimeCertificateCollection current = ReadCollection(organization);
        var present = current.Certificates.ToDictionary(c => c.Thumbprint, StringComparer.Ordinal);
        var removing = new HashSet<string>(StringComparer.Ordinal);
        foreach (string thumbprint in thumbprints.Distinct(StringComparer.Ordinal))
        {
            if (!present.TryGetValue(thumbprint, out SmimeCaCertificate? certificate))
            {
                WriteError(new ErrorRecord(
                    new ItemNotFoundException(string.Format(CultureInfo.CurrentCulture, Strings.CertificateNotInCollection, organization, thumbprint)),
                    ErrorMap.CertificateNotFound,
                    ErrorCategory.ObjectNotFound,
                    thumbprint));
            }
            else if (ShouldProcess(
                certificate.Subject + " (" + certificate.Thumbprint + ")",
                string.Format(CultureInfo.CurrentCulture, Strings.RemoveCertificateAction, organization)))
            {
                removing.Add(thumbprint);
            }
        }

        if (removing.Count == 0)
        {
            return;
        }

        SmimeCertificateCollection result = current.Where(c => !removing.Contains(c.Thumbprint));
        if (ReportCollectionProblems(result))
        {
            return;
        }

        StoreCollection(organization, result);
        if (PassThru)
        {
            WriteCertificates(organization, result.Certificates);
        }
    }
}
